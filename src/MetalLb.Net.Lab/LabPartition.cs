using System.Diagnostics;
using System.Globalization;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Lab;

/// <summary>What `lab partition` does: which node is cut off, for how long, how many times.</summary>
public sealed record LabPartitionOptions(string Node, TimeSpan Cut, int Runs = 1)
{
    /// <summary>One owner must answer every answered probe for this long to count as settled.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>At most this long after the heal for one owner to come back.</summary>
    public static readonly TimeSpan HealDeadline = TimeSpan.FromSeconds(60);
}

/// <summary>
/// `lab partition`: cuts one node off from the other nodes (nftables in its namespace drop IPv4
/// and IPv6 to and from their addresses) but not from the client or router, so each side of
/// the cut believes the other dead and both may answer for the L2 Service's IP: a split brain.
/// The client asks ARP for the IP every 20 ms throughout; the MACs answering each request show
/// when two nodes answered, and after the rules go, how long until one owner answers again.
/// </summary>
public sealed class LabPartition
{
    public const string Table = "metallb_lab_partition";
    public static readonly TimeSpan ArpEvery = TimeSpan.FromMilliseconds(20);

    private readonly LabState _state;
    private readonly KubeClient _api;
    private readonly LabPartitionOptions _options;
    private readonly Action<string> _progress;

    public LabPartition(LabState state, KubeClient api, LabPartitionOptions options, Action<string> progress)
    {
        _state = state;
        _api = api;
        _options = options;
        _progress = progress;
    }

    public async Task<IReadOnlyList<LabPartitionRun>> RunAsync(CancellationToken ct)
    {
        var node = _state.Nodes.FirstOrDefault(n => n.Name == _options.Node)
            ?? throw new InvalidOperationException($"--node {_options.Node}: no such node (the lab has {string.Join(", ", _state.Nodes.Select(n => n.Name))})");
        if (_state.Nodes.Count < 2)
            throw new InvalidOperationException("a partition needs at least 2 nodes");
        var target = (await LabSoakTargets.EnsureAsync(_api, _state, wantBgp: false, _progress, ct))[0];
        using var client = new NamespaceSockets(_state.ClientNamespace);
        var runs = new List<LabPartitionRun>();
        try
        {
            for (int i = 1; i <= _options.Runs; i++)
            {
                var run = await OneAsync(i, client, node, target, ct);
                runs.Add(run);
                _progress(run.Describe(NodeOf));
            }
        }
        finally
        {
            await LabSoakTargets.DeleteCreatedAsync(_api, [target]);
        }
        return runs;
    }

    private async Task<LabPartitionRun> OneAsync(int number, NamespaceSockets client, LabStateNode node, LabSoakTarget target, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var arp = new LabSoakArpWatch(client, target.Ip, ArpEvery, clock);
        string before = await SettledOwnerAsync(arp, clock, TimeSpan.FromSeconds(60), ct)
            ?? throw new InvalidOperationException($"{target.Ip} has no single owner answering ARP before the cut (60 s); `metallb-net lab status --name {_state.Name}`");
        _progress($"run {number}: {target.Label} is answered by {NodeOf(before)}; cutting {node.Name} off from the other nodes for {_options.Cut.TotalSeconds:0} s");

        var table = new LabSoakTable(node.Namespace, "inet", Table);
        LabSoakRecord.Update(_state.Name, r => r.Tables.Add(table));
        long dropped;
        double cutMs, healMs;
        try
        {
            cutMs = clock.Elapsed.TotalMilliseconds;
            Nftables.ReplaceTable(table.Namespace, table.Family, table.Table, Rules(node));
            await Task.Delay(_options.Cut, ct);   // the length of the experiment, not a wait for a condition
            dropped = Nftables.Counters(table.Namespace, table.Family, table.Table).GetValueOrDefault("dropped");
        }
        finally
        {
            Nftables.DeleteTable(table.Namespace, table.Family, table.Table);
            healMs = clock.Elapsed.TotalMilliseconds;
            LabSoakRecord.Forget(_state.Name, [table], [], []);
        }
        _progress($"run {number}: healed ({dropped} packets between {node.Name} and the others dropped during the cut); waiting for one owner");
        string? after = await SettledOwnerAsync(arp, clock, LabPartitionOptions.HealDeadline, ct);
        return LabPartitionRun.Analyse(number, node.Name, target.Ip, before, after, cutMs, healMs, dropped, arp.Probes());
    }

    /// <summary>nft rules for the cut: the node neither sends to nor accepts from the other nodes' addresses.</summary>
    private string Rules(LabStateNode node)
    {
        var others = _state.Nodes.Where(n => n.Name != node.Name).ToList();
        string v4 = string.Join(", ", others.Select(n => n.IPv4));
        string v6 = string.Join(", ", others.Select(n => n.IPv6));
        return $$"""
              chain input {
                type filter hook input priority 0; policy accept;
                ip saddr { {{v4}} } counter drop comment "dropped"
                ip6 saddr { {{v6}} } counter drop comment "dropped"
              }
              chain output {
                type filter hook output priority 0; policy accept;
                ip daddr { {{v4}} } counter drop comment "dropped"
                ip6 daddr { {{v6}} } counter drop comment "dropped"
              }
            """;
    }

    /// <summary>
    /// Waits until every answered probe of the last <see cref="LabPartitionOptions.Settle"/> came
    /// from one and the same MAC (and at least a few did); that MAC, or null at the deadline.
    /// </summary>
    private static async Task<string?> SettledOwnerAsync(LabSoakArpWatch arp, Stopwatch clock, TimeSpan deadline, CancellationToken ct)
    {
        double start = clock.Elapsed.TotalMilliseconds;
        while (clock.Elapsed.TotalMilliseconds - start < deadline.TotalMilliseconds)
        {
            double now = clock.Elapsed.TotalMilliseconds;
            if (now - start >= LabPartitionOptions.Settle.TotalMilliseconds)
            {
                var recent = arp.Probes().Where(p => p.SentMs >= now - LabPartitionOptions.Settle.TotalMilliseconds && p.Macs.Count > 0).ToList();
                var macs = recent.SelectMany(p => p.Macs).Distinct(StringComparer.Ordinal).ToList();
                if (recent.Count >= 10 && macs.Count == 1)
                    return macs[0];
            }
            await Task.Delay(100, ct);   // polling the probe record the watch fills
        }
        return null;
    }

    private string NodeOf(string? mac) =>
        mac is null ? "nobody" : _state.Nodes.FirstOrDefault(n => string.Equals(n.Mac, mac, StringComparison.OrdinalIgnoreCase))?.Name ?? mac;
}

/// <summary>One partition run, measured on the client's ARP probes.</summary>
public sealed record LabPartitionRun(int Number, string Node, string Ip, string OwnerBefore, string? OwnerAfter, double CutMs, double HealMs,
    long PacketsDropped, int ProbesDuringCut, int TwoAnsweringDuringCut, double? TwoFromMsAfterCut, IReadOnlyList<string> MacsDuringCut,
    int TwoAnsweringAfterHeal, double? TwoUntilMsAfterHeal, double? OneOwnerMsAfterHeal)
{
    /// <summary>The target: one owner at most 2 s after the cut heals.</summary>
    public static readonly TimeSpan Target = TimeSpan.FromSeconds(2);

    public bool TwoAnswered => TwoAnsweringDuringCut > 0;

    public bool TargetMet => OneOwnerMsAfterHeal is { } ms && ms <= Target.TotalMilliseconds;

    public static LabPartitionRun Analyse(int number, string node, string ip, string before, string? after, double cutMs, double healMs, long dropped,
        IReadOnlyList<ArpProbe> probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        var during = probes.Where(p => p.SentMs >= cutMs && p.SentMs < healMs).ToList();
        var twoDuring = during.Where(p => p.Macs.Count > 1).ToList();
        var afterHeal = probes.Where(p => p.SentMs >= healMs).ToList();
        var twoAfter = afterHeal.Where(p => p.Macs.Count > 1).ToList();
        // One owner again: the start of the last run of answered probes all from the final owner.
        double? oneOwner = null;
        if (after is not null)
        {
            var answered = afterHeal.Where(p => p.Macs.Count > 0).ToList();
            int k = answered.Count;
            while (k > 0 && answered[k - 1].Macs.Count == 1 && answered[k - 1].Macs[0] == after)
                k--;
            oneOwner = k < answered.Count ? Math.Max(0, answered[k].SentMs - healMs) : null;
            // Nothing but the final owner answered since the heal: one owner from the first answer.
            if (k == 0 && answered.Count > 0)
                oneOwner = 0;
        }
        return new LabPartitionRun(number, node, ip, before, after, cutMs, healMs, dropped, during.Count, twoDuring.Count,
            twoDuring.Count > 0 ? twoDuring[0].SentMs - cutMs : null,
            [.. during.SelectMany(p => p.Macs).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            twoAfter.Count, twoAfter.Count > 0 ? twoAfter[^1].SentMs + LabPartition.ArpEvery.TotalMilliseconds - healMs : null, oneOwner);
    }

    public string Describe(Func<string?, string> nodeOf)
    {
        ArgumentNullException.ThrowIfNull(nodeOf);
        var inv = CultureInfo.InvariantCulture;
        string two = TwoAnswered
            ? string.Create(inv, $"two nodes answered {TwoAnsweringDuringCut} of {ProbesDuringCut} probes, from {TwoFromMsAfterCut:0} ms after the cut")
            : string.Create(inv, $"never two nodes in {ProbesDuringCut} probes");
        string heal = OneOwnerMsAfterHeal is { } ms
            ? string.Create(inv, $"one owner ({nodeOf(OwnerAfter)}) {ms:0} ms after the heal{(TwoUntilMsAfterHeal is { } t ? $" (two answered until {t:0} ms)" : "")}")
            : string.Create(inv, $"no single owner within {LabPartitionOptions.HealDeadline.TotalSeconds:0} s of the heal");
        return string.Create(inv, $"run {Number}: cut {Node} for {(HealMs - CutMs) / 1000:0.0} s ({PacketsDropped} packets dropped); owner before {nodeOf(OwnerBefore)}; during the cut {two}, MACs {string.Join(", ", MacsDuringCut.Select(m => $"{nodeOf(m)}"))}; {heal}; target <= {Target.TotalSeconds:0} s: {(TargetMet ? "met" : "MISSED")}");
    }

    /// <summary>Over several runs: median and worst of each time.</summary>
    public static string Summary(IReadOnlyList<LabPartitionRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var inv = CultureInfo.InvariantCulture;
        var one = runs.Where(r => r.OneOwnerMsAfterHeal is not null).Select(r => r.OneOwnerMsAfterHeal!.Value).Order().ToList();
        var from = runs.Where(r => r.TwoFromMsAfterCut is not null).Select(r => r.TwoFromMsAfterCut!.Value).Order().ToList();
        static string Stat(List<double> v) => v.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"median {v[v.Count / 2]:0} ms, max {v[^1]:0} ms");
        return string.Create(inv, $"partition summary: {runs.Count} runs; two nodes answered during the cut in {runs.Count(r => r.TwoAnswered)}, from {Stat(from)} after the cut; one owner after the heal in {one.Count}: {Stat(one)}; target <= {Target.TotalSeconds:0} s met in {runs.Count(r => r.TargetMet)} of {runs.Count}\n");
    }
}
