using MetalLb.Net.Layer2.Interfaces;

namespace MetalLb.Net.Layer2;

/// <summary>Settings of the layer 2 announcer.</summary>
public sealed class Layer2Options
{
    /// <summary>How often links are re-listed to follow ones that appear, change or vanish.</summary>
    /// <value>10 seconds by default, as upstream.</value>
    public TimeSpan LinkScanInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When set, every owned IP gets one more gratuitous round this often, for switches and hosts
    /// that age out their tables; upstream only announces on takeover.
    /// </summary>
    /// <value>Off (null) by default.</value>
    public TimeSpan? RefreshInterval { get; set; }

    /// <summary>Regular expressions of link names that never answer.</summary>
    /// <value>Upstream's default exclude list (<see cref="LinkEligibility.DefaultExcludePatterns"/>).</value>
    public IReadOnlyList<string> ExcludeInterfaces { get; set; } = LinkEligibility.DefaultExcludePatterns;

    /// <summary>
    /// On a node with at most this many CPUs, each link's frames are received on one socket and
    /// thread per CPU (a PACKET_FANOUT_CPU group, each thread pinned to its CPU) rather than one
    /// per link and protocol, so a request is answered on the CPU that received it instead of
    /// waiting for another, possibly busy, CPU (docs/benchmarks-layer2.md). 0 turns it off.
    /// </summary>
    /// <value>
    /// 8 by default. Measured on 2 CPUs only; the cap is a guess that beyond it the threads
    /// (one per CPU, link and protocol) cost more than they save, as a large node usually has an
    /// idle CPU at hand.
    /// </value>
    public int PerCpuReceiveMaxCpus { get; set; } = 8;

    /// <summary>How often a blocked receive wakes to notice shutdown; does not delay replies.</summary>
    /// <value>200 milliseconds by default.</value>
    public TimeSpan ReceivePollInterval { get; set; } = TimeSpan.FromMilliseconds(200);
}
