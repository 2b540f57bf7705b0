using System.Collections.Concurrent;
using System.Diagnostics;

namespace MetalLb.Net.Layer2.Tests.Lab;

/// <summary>
/// tcpdump in the client namespace, line-buffered; its lines are collected as they arrive.
/// Start returns once tcpdump says "listening on", so nothing sent afterwards is missed.
/// </summary>
internal sealed class Tcpdump
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Process _process;

    private Tcpdump(Process process)
    {
        _process = process;
    }

    public static Tcpdump StartInClient(NetnsLab lab, string link, string filter)
    {
        // --immediate-mode: without it libpcap holds packets in its ring buffer for up to a second,
        // and a capture stopped sooner loses them.
        var p = lab.StartInClient("tcpdump", "--immediate-mode", "-i", link, "-nn", "-l", "-e", filter);
        var dump = new Tcpdump(p);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                dump._lines.Enqueue(e.Data);
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("listening on", StringComparison.Ordinal) == true)
                listening.TrySetResult();
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(15)))
            throw new TimeoutException("tcpdump did not start listening");
        return dump;
    }

    public IReadOnlyList<string> Lines => [.. _lines];

    public int Count(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Stops tcpdump (by PID) and waits until it has exited and its output is drained.</summary>
    public IReadOnlyList<string> Stop()
    {
        NetnsLab.Stop(_process);
        return Lines;
    }
}
