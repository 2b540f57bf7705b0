using System.Globalization;
using System.Text;

namespace MetalLb.Net.Lab;

/// <summary>One Service's requests during the soak.</summary>
public sealed record LabSoakServiceResult(string Label, bool Bgp, long Sent, long Ok, long Slow, long Failed, int HttpNodeChanges,
    IReadOnlyDictionary<string, long> ByNode, int StatusOwnerChanges, int StatusUnownedTicks);

/// <summary>The client's ARP probes of the L2 address: how often the answering MAC changed, and how often two MACs answered one request.</summary>
public sealed record LabSoakArpSummary(int Probes, int Answered, int AnswererChanges, int TwoAnswering, IReadOnlyList<string> Macs)
{
    public static LabSoakArpSummary From(IReadOnlyList<ArpProbe> probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        string? last = null;
        int changes = 0, two = 0, answered = 0;
        foreach (var p in probes)
        {
            if (p.Macs.Count == 0)
                continue;
            answered++;
            if (p.Macs.Count > 1)
            {
                two++;
                continue;
            }
            if (last is not null && last != p.Macs[0])
                changes++;
            last = p.Macs[0];
        }
        return new LabSoakArpSummary(probes.Count, answered, changes, two, [.. probes.SelectMany(p => p.Macs).Distinct().Order(StringComparer.Ordinal)]);
    }
}

/// <summary>What `lab soak` counted.</summary>
public sealed record LabSoakResult(TimeSpan Ran, LabSoakOptions Options, bool Interrupted, IReadOnlyList<LabSoakServiceResult> Services,
    LabSoakArpSummary? Arp, IReadOnlyList<LabSoakLogEvent> Events, long BgpSessionDrops, int SpeakerRestarts,
    long FramesDropped, long FramesSeen, IReadOnlyDictionary<string, (long Throttled, long Periods)> Throttling,
    LabSoakGossipCounts? Gossip = null)
{
    /// <summary>Members declared dead: the speakers' counters, or their logs where those show more (a speaker whose /metrics went unread).</summary>
    public long GossipDeaths => Math.Max(Events.Count(e => e.EventId == LabSoakLogs.DeclaredDead), Gossip?.Deaths ?? 0);

    /// <summary>A speaker logged that it now answers for an IP: each is an L2 ownership change.</summary>
    public int L2Takeovers => Events.Count(e => e.EventId == LabSoakLogs.NowAnswers);

    /// <summary>L2 ownership changes: the most any of the views saw (they see the same events, each with its blind spots).</summary>
    public int L2Failovers => new[] { Services.Where(s => !s.Bgp).Sum(s => Math.Max(s.StatusOwnerChanges, s.HttpNodeChanges)), Arp?.AnswererChanges ?? 0, L2Takeovers }.Max();

    /// <summary>Nothing failed on purpose: every failover, death or session drop counts against the target unless a speaker restarted.</summary>
    public bool TargetMet => L2Failovers == 0 && GossipDeaths == 0 && BgpSessionDrops == 0 && (Arp?.TwoAnswering ?? 0) == 0;

    public string Describe()
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"soak summary: {Ran.TotalSeconds:0} s{(Interrupted ? " (interrupted)" : "")}, {Options.LossPercent} % loss per node link, CPU stress on {(Options.StressNodes.Count == 0 ? "no node" : string.Join(", ", Options.StressNodes))} ({Options.StressCpuPercent} % of one CPU for speaker + stress-ng)\n");
        sb.Append(inv, $"  loss rule: dropped {FramesDropped} of {FramesSeen} frames on the node links ({(FramesSeen == 0 ? 0 : 100.0 * FramesDropped / FramesSeen):0.00} %)\n");
        foreach (var (node, t) in Throttling.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            sb.Append(inv, $"  cpu stress {node}: throttled in {t.Throttled} of {t.Periods} 100 ms periods\n");
        foreach (var s in Services)
        {
            sb.Append(inv, $"  {s.Label}: {s.Sent} requests, {s.Ok} answered ({s.Slow} slow > 1 s), {s.Failed} failed (no answer in {LabSoakHttp.Timeout.TotalSeconds:0} s); answered by {string.Join(", ", s.ByNode.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"))}\n");
            if (!s.Bgp)
                sb.Append(inv, $"    owner changes: {s.StatusOwnerChanges} in ServiceL2Status, {s.HttpNodeChanges} in the node answering HTTP; no ServiceL2Status at {s.StatusUnownedTicks} of the 10 s checks\n");
        }
        if (Arp is not null)
            sb.Append(inv, $"  client ARP every {LabSoak.ArpEvery.TotalMilliseconds:0} ms: {Arp.Probes} asked, {Arp.Answered} answered, answering MAC changed {Arp.AnswererChanges} times, two MACs answered {Arp.TwoAnswering} times (MACs seen: {string.Join(", ", Arp.Macs)})\n");
        if (Gossip is { } g)
            sb.Append(inv, $"  speakers' /metrics: {g.Deaths} gossip members declared dead, {g.Suspicions} suspicions, {g.Deferred} verdicts that waited for unread packets{(g.Unread.Count == 0 ? "" : $" (unread at the end: {string.Join(", ", g.Unread)})")}\n");
        sb.Append(inv, $"  speakers' logs: {Events.Count(e => e.EventId == LabSoakLogs.DeclaredDead)} gossip members declared dead, {L2Takeovers} L2 takeovers (\"now answers for\")\n");
        foreach (var e in Events.Take(40))
            sb.Append(inv, $"    {e}\n");
        if (Events.Count > 40)
            sb.Append(inv, $"    ... {Events.Count - 40} more\n");
        sb.Append(inv, $"  BGP: {BgpSessionDrops} session drops at the router (FRR connectionsDropped)\n");
        sb.Append(inv, $"  speaker restarts: {SpeakerRestarts}\n");
        sb.Append(inv, $"  failovers no failure caused: {(SpeakerRestarts > 0 ? "unknown (a speaker restarted)" : L2Failovers.ToString(inv))}; target (none, no deaths, no session drops): {(TargetMet ? "met" : "MISSED")}\n");
        return sb.ToString();
    }
}

/// <summary>The speakers' gossip counters over the soak (<see cref="LabSoakGossip"/>), and the speakers whose /metrics could not be read at the end.</summary>
public sealed record LabSoakGossipCounts(long Deaths, long Suspicions, long Deferred, IReadOnlyList<string> Unread);
