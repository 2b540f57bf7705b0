using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MetalLb.Net.Gossip.Swim;
using MetalLb.Net.Gossip.Transport;

namespace MetalLb.Net.Gossip.Bench;

/// <summary>What one in-process run saw: times, whether it converged, and the detector's counters.</summary>
internal sealed record DetectionResult(double? DetectMs, double? P99Ms, double ConvergeMs, bool Converged, int FalseDeaths,
    Counters Join, Counters Detect, double CpuPercent);

/// <summary>Our members on loopback: converge, kill the last one (no leave), time until all others say Fail.</summary>
internal static class Detection
{
    public static async Task<double> MeasureAsync(int n, bool fast) =>
        (await MeasureDetailedAsync(n, fast ? MemberlistOptions.Fast : MemberlistOptions.Lan)).DetectMs
            ?? throw new TimeoutException("cluster did not converge");

    public static async Task<DetectionResult> MeasureDetailedAsync(int n, Func<string, IPEndPoint, MemberlistOptions> profile,
        TimeSpan? convergeLimit = null)
    {
        var members = new List<GossipMember>();
        var victim = $"m-{n - 1}";
        var detected = new ConcurrentDictionary<string, long>();
        var falseDeaths = 0;
        var killed = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.GetCurrentProcess();
        try
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++)
            {
                var name = $"m-{i}";
                var address = new IPEndPoint(IPAddress.Loopback, 0);
                members.Add(GossipMember.Start(profile(name, address), onEvent: e =>
                {
                    if (e.Kind != MemberEventKind.Fail)
                        return;
                    if (e.Member.Name != victim || Volatile.Read(ref killed) == 0)
                    {
                        Interlocked.Increment(ref falseDeaths);
                        return;
                    }
                    detected.TryAdd(name, Stopwatch.GetTimestamp());
                    if (detected.Count == n - 1)
                        done.TrySetResult();
                }));
            }
            var cpu0 = process.TotalProcessorTime;
            for (var i = 1; i < n; i++)
                await members[i].JoinAsync([members[0].LocalEndPoint]);
            var until = Stopwatch.GetTimestamp() + (long)((convergeLimit ?? TimeSpan.FromSeconds(60)).TotalSeconds * Stopwatch.Frequency);
            while (!members.All(m => m.Memberlist.MemberCount == n))
            {
                if (Stopwatch.GetTimestamp() > until)
                {
                    process.Refresh();
                    var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    return new DetectionResult(null, null, Stopwatch.GetElapsedTime(started).TotalMilliseconds, false, falseDeaths,
                        Counters.Sum(members.Select(m => m.Memberlist.Stats)), Counters.Sum([]),
                        100 * (process.TotalProcessorTime - cpu0).TotalSeconds / wall / Environment.ProcessorCount);
                }
                await Task.Delay(50);
            }
            var convergeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var join = Counters.Sum(members.Select(m => m.Memberlist.Stats));
            var liveAtKill = Counters.Sum(members.Take(n - 1).Select(m => m.Memberlist.Stats));
            process.Refresh();
            var cpu1 = process.TotalProcessorTime;
            var killedAt = Stopwatch.GetTimestamp();
            Volatile.Write(ref killed, 1);
            await members[^1].DisposeAsync();
            await done.Task.WaitAsync(TimeSpan.FromSeconds(120));
            var times = detected.Values.Select(t => Stopwatch.GetElapsedTime(killedAt, t).TotalMilliseconds).Order().ToList();
            process.Refresh();
            var cpuPercent = 100 * (process.TotalProcessorTime - cpu1).TotalSeconds / (times[^1] / 1000) / Environment.ProcessorCount;
            return new DetectionResult(times[^1], Percentile(times, 0.99), convergeMs, true, falseDeaths, join,
                Counters.Sum(members.Take(n - 1).Select(m => m.Memberlist.Stats)) - liveAtKill, cpuPercent);
        }
        finally
        {
            foreach (var member in members)
                await member.DisposeAsync();
        }
    }

    public static double Percentile(List<double> sorted, double fraction) =>
        sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
}
