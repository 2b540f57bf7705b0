namespace MetalLb.Net.Lab.Bench;

/// <summary>A way to take the owner away, and in which mode.</summary>
internal sealed record Scenario(string Name, FailoverHow How, bool Bgp);

/// <summary>
/// The trials: ours with the fast and the lan gossip profile (one lab each) and keepalived
/// VRRPv3 with advertisements every 0.1 s and 1 s (both in the fast lab's node namespaces, on
/// VIPs beside MetalLB's pool). Every trial starts from a settled system and runs
/// <see cref="LabFailover.MeasureAsync"/>: a request every 10 ms from the client, the action
/// after <see cref="Lead"/> (50 requests answered by the owner; `lab failover` waits a second,
/// and the bench has 1,400 trials to run), until another node has answered 50 in a row.
/// </summary>
internal sealed class FailoverBench(BenchLab fast, BenchLab lan, KeepalivedGroup[] keepalived, Action<string> log)
{
    public static readonly Scenario[] Scenarios =
    [
        new("L2, owner's speaker killed (SIGKILL)", FailoverHow.Kill, false),
        new("L2, owner's link cut", FailoverHow.Cut, false),
        new("L2, graceful stop (SIGTERM)", FailoverHow.Stop, false),
        new("BGP, owner's speaker killed (SIGKILL)", FailoverHow.Kill, true),
    ];

    public static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(120);

    public static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(500);

    /// <summary>The variant issue 12's targets are for; the others are there for comparison.</summary>
    public const string Measured = "ours (fast)";

    public IEnumerable<string> Variants(Scenario s) =>
        ((string[])[Measured, "ours (lan)"]).Concat(s.Bgp ? [] : keepalived.Select(Name));

    public static string Name(KeepalivedGroup g) => $"keepalived {g.Router.AdvertInterval.TotalSeconds:0.#} s";

    public async Task<Trial> RunAsync(Scenario scenario, string variant, int index, CancellationToken ct)
    {
        string? notSettled = await SettleAllAsync(ct);
        if (notSettled is not null)
            log($"  not settled after {SettleDeadline.TotalSeconds:0} s, trial runs anyway: {notSettled}");
        double load = Stats.Load();
        LabFailover.Result r;
        if (variant.StartsWith("ours", StringComparison.Ordinal))
        {
            var lab = variant.Contains("lan", StringComparison.Ordinal) ? lan : fast;
            var state = lab.Reread();
            r = await LabFailover.MeasureAsync(state.ClientNamespace, scenario.Bgp ? "api" : "web", scenario.Bgp ? lab.ApiIp : lab.WebIp,
                BenchLab.ServicePort, scenario.How, owner => Ours(lab, state, owner, scenario.How), log, Lead, ct);
        }
        else
        {
            var group = keepalived.First(g => Name(g) == variant);
            var state = fast.Reread();
            r = await LabFailover.MeasureAsync(state.ClientNamespace, group.Router.Tag, group.Router.Vip, NodeBackend.Port, scenario.How,
                owner => Keepalived(group, state, owner, scenario.How), log, Lead, ct);
        }
        return new Trial(scenario.Name, variant, index, r.Owner, r.NewOwner, r.OutageMs, r.SwitchMs, r.Failed, notSettled is null, load);
    }

    /// <summary>Kill or stop the owner's speaker (held down until the trial ends, then the lab restarts it at once), or cut its link.</summary>
    private Action Ours(BenchLab lab, LabState state, string owner, FailoverHow how)
    {
        if (how == FailoverHow.Cut)
            return LabFailover.CutLink(state, owner, log);
        var hold = lab.Hold(owner);
        var speaker = state.Processes.FirstOrDefault(p => p.Name == "speaker-" + owner);
        if (speaker is null || !ProcInfo.Signal(speaker.Pid, speaker.StartTime, how == FailoverHow.Kill ? ProcInfo.SigKill : ProcInfo.SigTerm))
        {
            hold.Dispose();
            throw new InvalidOperationException($"{owner}'s speaker in lab {lab.Name} is not running");
        }
        log($"  {(how == FailoverHow.Kill ? "kill -9" : "kill -TERM")} {speaker.Pid} ({owner}'s speaker, lab {lab.Name})");
        return hold.Dispose;
    }

    private Action Keepalived(KeepalivedGroup group, LabState state, string owner, FailoverHow how)
    {
        switch (how)
        {
            case FailoverHow.Cut:
                return LabFailover.CutLink(state, owner, log);
            case FailoverHow.Kill:
                group.Kill(owner);
                log($"  kill -9 {owner}'s keepalived ({group.Router.Tag}), its VRRP process too");
                break;
            default:
                group.Stop(owner);
                log($"  kill -TERM {owner}'s keepalived ({group.Router.Tag}): it sends priority 0");
                break;
        }
        return () => group.Restart(owner);
    }

    /// <summary>Both labs whole and every keepalived group back with its preferred node holding the VIP; null, or what was still missing.</summary>
    public async Task<string?> SettleAllAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        foreach (var lab in (BenchLab[])[fast, lan])
        {
            if (await lab.SettleAsync(SettleDeadline, ct) is { } why)
                problems.Add($"lab {lab.Name}: {why}");
        }
        foreach (var g in keepalived)
        {
            foreach (string exited in g.RestartExited())
                log("  " + exited + "; started it again");
            try
            {
                await Wait.UntilAsync(() =>
                {
                    if (!g.AllRunning)
                        return "a keepalived is not running";
                    var holders = g.Holders();
                    return holders.Count == 1 && holders[0] == g.Preferred ? null : $"{g.Router.Vip} is on [{string.Join(", ", holders)}], not only {g.Preferred}";
                }, SettleDeadline, ct);
            }
            catch (TimeoutException e)
            {
                problems.Add($"{Name(g)}: {e.Message}");
            }
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
