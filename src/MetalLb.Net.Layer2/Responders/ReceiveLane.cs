namespace MetalLb.Net.Layer2.Responders;

/// <summary>
/// One receive thread's counters: frames it read, and how many it read on a CPU other than its
/// lane's (its wake-up was then not local). Diagnostics for the per-CPU lanes, read by the
/// benchmark and the tests.
/// </summary>
public sealed class ReceiveLane(string link, string protocol, int? cpu)
{
    private long _frames, _offCpu;

    public string Link { get; } = link;

    public string Protocol { get; } = protocol;

    /// <summary>The CPU this lane receives for; null when it receives the whole link's frames.</summary>
    public int? Cpu { get; } = cpu;

    /// <summary>True once the lane's thread is pinned to <see cref="Cpu"/>.</summary>
    public bool Pinned { get; internal set; }

    public long Frames => Interlocked.Read(ref _frames);

    public long OffCpu => Interlocked.Read(ref _offCpu);

    internal void Received(int runningOn)
    {
        Interlocked.Increment(ref _frames);
        if (Cpu is { } cpu && cpu != runningOn)
            Interlocked.Increment(ref _offCpu);
    }
}
