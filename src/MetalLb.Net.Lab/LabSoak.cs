using System.Diagnostics;
using System.Globalization;
using System.Text;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Lab;

/// <summary>What `lab soak` does: how long, how much loss on every node's link, which nodes' speakers are CPU-starved and how hard.</summary>
public sealed record LabSoakOptions(TimeSpan Duration, int LossPercent, IReadOnlyList<string> StressNodes, int StressCpuPercent = 25);

/// <summary>
/// `lab soak`: on a running lab, 5 % loss on every node's link (nftables on the LAN bridge, as
/// this kernel has no netem) and CPU starvation of some nodes' speakers (<see cref="CpuStressGroup"/>),
/// while the client sends to each test Service every 10 ms. Counts what a user would call a
/// spurious failover: L2 ownership changes (the speakers' ServiceL2Status, the MAC answering the
/// client's ARP every 100 ms, the node answering HTTP, the speakers' "now answers" log lines), gossip
/// members the speakers declared dead (their /metrics counters and log lines), FRR's BGP
/// session drops, failed requests. Nothing fails on purpose, so each of these is one no failure
/// caused, unless a speaker restarted (counted too). Removes its rules and groups at the end,
/// on Ctrl-C, and `lab down` removes what a crash left (chaos.json).
/// </summary>
public sealed class LabSoak
{
    public const string Table = "metallb_lab_soak";
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ArpEvery = TimeSpan.FromMilliseconds(100);

    private readonly LabState _state;
    private readonly KubeClient _api;
    private readonly LabSoakOptions _options;
    private readonly Action<string> _progress;
    private readonly Stopwatch _clock = new();
    private readonly Dictionary<string, LabSoakCounter> _bgpDrops = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(int, long)>> _speakers = new(StringComparer.Ordinal);
    private readonly List<CpuStressGroup> _groups = [];
    private readonly List<(Process Process, int Pid, long Start)> _stress = [];
    private readonly List<LabSoakTable> _tables = [];
    private readonly Dictionary<string, (string Owner, int Changes, int Unowned)> _l2Status = new(StringComparer.Ordinal);

    public LabSoak(LabState state, KubeClient api, LabSoakOptions options, Action<string> progress)
    {
        _state = state;
        _api = api;
        _options = options;
        _progress = progress;
    }

    public async Task<LabSoakResult> RunAsync(CancellationToken ct)
    {
        var targets = await LabSoakTargets.EnsureAsync(_api, _state, wantBgp: true, _progress, ct);
        using var gossip = new LabSoakGossip();
        using var client = new NamespaceSockets(_state.ClientNamespace);
        // A Service just created is announced now: its first "now answers for" must be logged
        // before the baseline, or it would count as a failover.
        foreach (var t in targets)
            await WaitAnsweredAsync(client, t, ct);
        var https = targets.Select(t => new LabSoakHttp(client, t)).ToList();
        LabSoakArpWatch? arp = null;
        var l2 = targets.FirstOrDefault(t => !t.Bgp);
        foreach (var t in targets.Where(t => !t.Bgp))
            _ipsByService[$"{t.Namespace}/{t.Name}"] = [t.Ip];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var senders = new List<Task>();
        bool interrupted = false;
        try
        {
            // Baselines first, so the counts are what happened during the soak.
            _logs = new LabSoakLogs(_state.Name, _state.Nodes.Select(n => n.Name));
            await TickAsync(gossip, CancellationToken.None);
            ApplyLoss();
            StartStress();
            _clock.Start();
            _progress(string.Create(CultureInfo.InvariantCulture,
                $"soak for {_options.Duration.TotalSeconds:0} s: {_options.LossPercent} % loss on every node's link, CPU stress on {(_options.StressNodes.Count == 0 ? "no node" : string.Join(", ", _options.StressNodes))}; a request every {LabSoakHttp.Interval.TotalMilliseconds:0} ms to {string.Join(", ", targets.Select(t => t.Label))}"));
            if (l2 is not null)
                arp = new LabSoakArpWatch(client, l2.Ip, ArpEvery, _clock);
            senders.AddRange(https.Select(h => h.RunAsync(stop.Token)));
            using var timer = new PeriodicTimer(ProgressEvery);
            while (_clock.Elapsed < _options.Duration)
            {
                var left = _options.Duration - _clock.Elapsed;
                if (left > ProgressEvery)
                    await timer.WaitForNextTickAsync(ct);
                else if (left > TimeSpan.Zero)
                    await Task.Delay(left, ct);
                await TickAsync(gossip, ct);
                _progress(ProgressLine(https, arp, gossip));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            interrupted = true;
            _progress("interrupted: removing the loss rules and the CPU stress");
        }
        finally
        {
            // Cleanup first: on Ctrl-C the process has little time left.
            Cleanup();
            await stop.CancelAsync();
            arp?.Dispose();
        }
        // The last word on the counters, after the senders stopped.
        await gossip.ReadAsync(LabState.Read(_state.Name) ?? _state, CancellationToken.None);
        await Task.WhenAll(senders);
        var lossCounts = _lastLoss;
        var result = new LabSoakResult(_clock.Elapsed, _options, interrupted,
            [.. https.Select(h => new LabSoakServiceResult(h.Target.Label, h.Target.Bgp, h.Sent, h.Ok, h.Slow, h.Failed, h.NodeChanges, h.ByNode,
                !h.Target.Bgp && _l2Status.TryGetValue(h.Target.Ip, out var st) ? st.Changes : 0,
                !h.Target.Bgp && _l2Status.TryGetValue(h.Target.Ip, out var st2) ? st2.Unowned : 0))],
            arp is null ? null : LabSoakArpSummary.From(arp.Probes()),
            _logs?.Events ?? [],
            _bgpDrops.Values.Sum(c => c.Total),
            _speakers.Values.Sum(s => Math.Max(0, s.Count - 1)),
            lossCounts.Dropped, lossCounts.Seen, _throttled,
            new LabSoakGossipCounts(gossip.Total(LabSoakGossip.Deaths), gossip.Total(LabSoakGossip.Suspicions), gossip.Total(LabSoakGossip.Deferred), gossip.Unread));
        await LabSoakTargets.DeleteCreatedAsync(_api, targets);
        return result;
    }

    private static async Task WaitAnsweredAsync(NamespaceSockets client, LabSoakTarget target, CancellationToken ct)
    {
        var endpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Parse(target.Ip), target.Port);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await LabFailover.RequestAsync(client, endpoint, ct) is null)
        {
            if (DateTime.UtcNow > until)
                throw new InvalidOperationException($"{target.Label} does not answer the client within 60 s; `metallb-net lab status` says why");
            await Task.Delay(100, ct);   // polling the network for the announcement
        }
    }

    private (long Dropped, long Seen) _lastLoss;
    private IReadOnlyDictionary<string, (long Throttled, long Periods)> _throttled = new Dictionary<string, (long, long)>();

    /// <summary>
    /// The loss: in the LAN namespace, a bridge-family table drops <c>LossPercent</c> % of the
    /// frames a node's port sends into the bridge and, independently, of those the bridge
    /// sends out of it: each node's link loses that share in each direction (ARP, gossip,
    /// BGP and HTTP alike), so node to node crosses two lossy links. The API (the lab's
    /// loopback forwarders) is not on the LAN and loses nothing.
    /// </summary>
    private void ApplyLoss()
    {
        if (_options.LossPercent <= 0)
            return;
        var rules = new StringBuilder();
        foreach (var n in _state.Nodes)
        {
            rules.Append(CultureInfo.InvariantCulture, $"    iifname \"{n.Name}\" counter comment \"seen\"\n");
            rules.Append(CultureInfo.InvariantCulture, $"    iifname \"{n.Name}\" numgen random mod 100 < {_options.LossPercent} counter drop comment \"dropped\"\n");
            rules.Append(CultureInfo.InvariantCulture, $"    oifname \"{n.Name}\" counter comment \"seen\"\n");
            rules.Append(CultureInfo.InvariantCulture, $"    oifname \"{n.Name}\" numgen random mod 100 < {_options.LossPercent} counter drop comment \"dropped\"\n");
        }
        var table = new LabSoakTable(_state.LanNamespace, "bridge", Table);
        LabSoakRecord.Update(_state.Name, r => r.Tables.Add(table));
        _tables.Add(table);
        Nftables.ReplaceTable(table.Namespace, table.Family, table.Table,
            $"  chain forward {{\n    type filter hook forward priority 0; policy accept;\n{rules}  }}");
    }

    private void StartStress()
    {
        foreach (string node in _options.StressNodes)
        {
            if (_state.Nodes.All(n => n.Name != node))
                throw new InvalidOperationException($"--stress {node}: no such node (the lab has {string.Join(", ", _state.Nodes.Select(n => n.Name))})");
            var (root, _) = CpuStressGroup.Hierarchy() ?? throw new InvalidOperationException("no cgroup hierarchy with the cpu controller");
            string path = Path.Combine(root, $"metallb-net-lab-{_state.Name}-{node}");
            LabSoakRecord.Update(_state.Name, r => r.Cgroups.Add(path));
            var group = CpuStressGroup.Create(_state.Name, node, _options.StressCpuPercent);
            _groups.Add(group);
            MoveSpeaker(node, group);
            var p = group.StartStress(1, _options.Duration + TimeSpan.FromMinutes(1));
            long start = ProcInfo.StartTime(p.Id);
            _stress.Add((p, p.Id, start));
            LabSoakRecord.Update(_state.Name, r => r.Processes.Add(new LabStateProcess("stress-ng-" + node, p.Id, start)));
        }
    }

    /// <summary>Puts the node's current speaker in its group (again after the lab restarted it).</summary>
    private void MoveSpeaker(string node, CpuStressGroup group)
    {
        var state = LabState.Read(_state.Name) ?? _state;
        var speaker = state.Processes.FirstOrDefault(p => p.Name == "speaker-" + node);
        if (speaker is not null && ProcInfo.IsAlive(speaker.Pid, speaker.StartTime) && !group.Contains(speaker.Pid))
            group.Add(speaker.Pid);
    }

    private LabSoakLogs? _logs;

    private async Task TickAsync(LabSoakGossip gossip, CancellationToken ct)
    {
        var state = LabState.Read(_state.Name) ?? _state;
        foreach (var p in state.Processes.Where(p => p.Name.StartsWith("speaker-", StringComparison.Ordinal)))
        {
            if (!_speakers.TryGetValue(p.Name, out var seen))
                _speakers[p.Name] = seen = [];
            seen.Add((p.Pid, p.StartTime));
        }
        for (int i = 0; i < _groups.Count; i++)
            MoveSpeaker(_options.StressNodes[i], _groups[i]);
        _logs?.Read();
        await gossip.ReadAsync(state, ct);
        foreach (var (peer, (_, dropped, _)) in LabSoakCounters.BgpNeighbors(state))
        {
            if (!_bgpDrops.TryGetValue(peer, out var counter))
                _bgpDrops[peer] = counter = new LabSoakCounter();
            counter.Observe(dropped);
        }
        foreach (var t in _tables)
        {
            var counters = Nftables.Counters(t.Namespace, t.Family, t.Table);
            _lastLoss = (counters.GetValueOrDefault("dropped"), counters.GetValueOrDefault("seen"));
        }
        _throttled = _groups.Select((g, i) => (i, g.Throttling())).ToDictionary(x => _options.StressNodes[x.i], x => x.Item2, StringComparer.Ordinal);
        await ObserveL2StatusAsync(ct);
    }

    /// <summary>Who the speakers say owns each L2 Service (ServiceL2Status), and how often that changed.</summary>
    private async Task ObserveL2StatusAsync(CancellationToken ct)
    {
        IReadOnlyList<ServiceL2Status> statuses;
        try
        {
            statuses = (await _api.Resource<ServiceL2Status>().ListAsync(LabObjects.MetalLbNamespace, null, ct)).Items;
        }
        catch (HttpRequestException)
        {
            return;
        }
        foreach (var group in statuses.Where(s => s.Status?.ServiceName is not null)
                     .GroupBy(s => $"{s.Status!.ServiceNamespace}/{s.Status.ServiceName}"))
        {
            string owner = string.Join(",", group.Select(s => s.Status!.Node).OfType<string>().Distinct().Order(StringComparer.Ordinal));
            foreach (string ip in _ipsByService.GetValueOrDefault(group.Key) ?? [])
                Observe(ip, owner);
        }
    }

    private readonly Dictionary<string, List<string>> _ipsByService = new(StringComparer.Ordinal);

    private void Observe(string ip, string owner)
    {
        if (!_l2Status.TryGetValue(ip, out var s))
        {
            _l2Status[ip] = (owner, 0, 0);
            return;
        }
        if (owner.Length == 0)
            _l2Status[ip] = (s.Owner, s.Changes, s.Unowned + 1);
        else if (owner != s.Owner)
            _l2Status[ip] = (owner, s.Changes + 1, s.Unowned);
    }

    private string ProgressLine(IReadOnlyList<LabSoakHttp> https, LabSoakArpWatch? arp, LabSoakGossip gossip)
    {
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,5:0} s]"));
        foreach (var h in https)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {(h.Target.Bgp ? "BGP" : "L2")} {h.Target.Ip}: {h.Ok} ok, {h.Slow} slow, {h.Failed} failed");
            if (!h.Target.Bgp)
            {
                var st = _l2Status.GetValueOrDefault(h.Target.Ip);
                sb.Append(CultureInfo.InvariantCulture, $", owner {(st.Owner is { Length: > 0 } o ? o : "?")} ({st.Changes} changes)");
            }
            sb.Append(';');
        }
        if (arp is not null)
        {
            var a = LabSoakArpSummary.From(arp.Probes());
            sb.Append(CultureInfo.InvariantCulture, $" ARP answerer changes {a.AnswererChanges}, two answering {a.TwoAnswering};");
        }
        sb.Append(CultureInfo.InvariantCulture, $" gossip deaths {gossip.Total(LabSoakGossip.Deaths)} (logged {_logs?.Deaths ?? 0}), suspicions {gossip.Total(LabSoakGossip.Suspicions)}, deferred {gossip.Total(LabSoakGossip.Deferred)}{(gossip.Unread.Count == 0 ? "" : $" (no /metrics from {string.Join(", ", gossip.Unread)})")}; L2 takeovers logged {_logs?.Takeovers ?? 0}; BGP drops {_bgpDrops.Values.Sum(c => c.Total)};");
        if (_lastLoss.Seen > 0)
            sb.Append(CultureInfo.InvariantCulture, $" loss {_lastLoss.Dropped}/{_lastLoss.Seen} frames");
        return sb.ToString();
    }

    private void Cleanup()
    {
        foreach (var (p, pid, start) in _stress)
        {
            ProcInfo.Signal(pid, start, ProcInfo.SigKill);
            ProcInfo.WaitGone(pid, start, TimeSpan.FromSeconds(5));
            p.Dispose();
        }
        var stuck = new List<(string Path, string Error)>();
        foreach (var g in _groups)
        {
            try
            {
                CpuStressGroup.Remove(g.Path);
            }
            catch (InvalidOperationException e)
            {
                stuck.Add((g.Path, e.Message));
            }
        }
        foreach (var t in _tables)
            Nftables.DeleteTable(t.Namespace, t.Family, t.Table);
        // A group that would not empty stays in the record, so `lab down` tries it again.
        LabSoakRecord.Forget(_state.Name, _tables, _groups.Select(g => g.Path).Except(stuck.Select(s => s.Path)), _stress.Select(s => s.Pid));
        if (stuck.Count > 0)
            throw new InvalidOperationException(string.Join("; ", stuck.Select(s => s.Error)) + "; `metallb-net lab down` tries again");
    }
}
