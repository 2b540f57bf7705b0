using System.Diagnostics;
using MetalLb.Net.TestKit.ClusterLab;

namespace MetalLb.Net.Speaker.Bench;

/// <summary>
/// `ip monitor neigh` in the client namespace: the kernel tells us the moment a neighbour entry
/// changes, so a failover is timed to the client's own view without polling.
/// </summary>
internal sealed class NeighbourMonitor : IDisposable
{
    private readonly LabProcess _process;
    private readonly Lock _lock = new();
    private (string Ip, string Mac, TaskCompletionSource<TimeSpan> Done, Stopwatch Clock)? _waiting;

    public NeighbourMonitor(LabHost client, string dir)
    {
        _process = new LabProcess("ip-monitor-neigh", Path.Combine(dir, "ip-monitor-neigh.log"), () =>
        {
            var psi = new ProcessStartInfo(LabShell.Which("ip") ?? "ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in (string[])["-n", client.Namespace, "monitor", "neigh", "dev", LabHost.Link])
                psi.ArgumentList.Add(a);
            return psi;
        });
        _process.Line += OnLine;
        _process.Start();
    }

    /// <summary>
    /// Arms the wait for <paramref name="ip"/>'s entry to show <paramref name="mac"/>, then runs
    /// <paramref name="act"/>; the task gives the time from just before the act to the kernel's report.
    /// </summary>
    public Task<TimeSpan> TimeUntil(string ip, string mac, Action act)
    {
        var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        lock (_lock)
            _waiting = (ip, mac, done, clock);
        clock.Start();
        act();
        return done.Task;
    }

    private void OnLine(string line)
    {
        lock (_lock)
        {
            // "192.0.2.100 dev eth0 lladdr 02:00:00:00:00:03 STALE"
            if (_waiting is { } w && line.StartsWith(w.Ip + " ", StringComparison.Ordinal)
                && line.Contains("lladdr " + w.Mac, StringComparison.OrdinalIgnoreCase))
            {
                w.Done.TrySetResult(w.Clock.Elapsed);
                _waiting = null;
            }
        }
    }

    public void Dispose() => _process.Dispose();
}
