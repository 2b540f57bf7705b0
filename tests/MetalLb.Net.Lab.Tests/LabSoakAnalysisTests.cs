using MetalLb.Net.Lab;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Lab.Tests;

/// <summary>The pure parts of `lab soak` and `lab partition`: how probes, counters and log lines become the reported numbers.</summary>
public sealed class LabSoakAnalysisTests
{
    private const string A = "02:00:00:00:00:01", B = "02:00:00:00:00:02";

    [Fact]
    public void A_reply_belongs_to_the_last_request_sent_before_it()
    {
        Assert.True(MacAddress.TryParse(A, out var a));
        Assert.True(MacAddress.TryParse(B, out var b));
        var probes = LabSoakArpWatch.Attribute([0, 20, 40, 60], [(1, a), (21, a), (35, b), (61, a), (5, a)]);
        Assert.Equal([A], probes[0].Macs);
        Assert.Equal([A, B], probes[1].Macs);
        Assert.Empty(probes[2].Macs);
        Assert.Equal([A], probes[3].Macs);
        // A reply before the first request (from an earlier watch) belongs to none.
        Assert.Single(LabSoakArpWatch.Attribute([10], [(5, a)]), p => p.Macs.Count == 0);
    }

    [Fact]
    public void Arp_summary_counts_changes_of_the_single_answerer_and_double_answers()
    {
        var s = LabSoakArpSummary.From([P(0, A), P(1), P(2, A), P(3, A, B), P(4, B), P(5, B), P(6, A)]);
        Assert.Equal(7, s.Probes);
        Assert.Equal(6, s.Answered);
        Assert.Equal(2, s.AnswererChanges);   // A -> B, B -> A; the double answer is counted apart
        Assert.Equal(1, s.TwoAnswering);
        Assert.Equal([A, B], s.Macs);
    }

    [Fact]
    public void A_counter_that_restarts_from_zero_only_adds()
    {
        var c = new LabSoakCounter();
        c.Observe(10);   // baseline
        c.Observe(12);
        c.Observe(3);    // restarted: 3 new since
        c.Observe(4);
        Assert.Equal(2 + 3 + 1, c.Total);
    }

    [Fact]
    public void Speaker_log_lines_become_deaths_and_takeovers()
    {
        const string dead = """{"Timestamp":"2026-12-05T23:13:22.799Z","EventId":1403,"LogLevel":"Warning","Category":"speaker.memberlist","Message":"Gossip member node2 declared dead (192.0.2.12:7946): it stopped answering probes and did not refute the suspicion","State":{"Member":"node2","Address":"192.0.2.12:7946","{OriginalFormat}":"x"},"Scopes":[]}""";
        const string now = """{"Timestamp":"2026-12-05T23:13:22.817Z","EventId":3201,"LogLevel":"Information","Category":"speaker.layer2","Message":"layer2: this node now answers for 192.0.2.200","State":{"Ip":"192.0.2.200","{OriginalFormat}":"x"},"Scopes":[]}""";
        const string other = """{"Timestamp":"2026-12-05T23:13:22.853Z","EventId":1401,"LogLevel":"Information","Category":"speaker.memberlist","Message":"joined","State":{}}""";
        var d = LabSoakLogs.Parse("node1", dead)!;
        Assert.Equal((LabSoakLogs.DeclaredDead, "node2", "node1"), (d.EventId, d.Subject, d.Node));
        var n = LabSoakLogs.Parse("node3", now)!;
        Assert.Equal((LabSoakLogs.NowAnswers, "192.0.2.200"), (n.EventId, n.Subject));
        Assert.Contains("node3 now answers for 192.0.2.200", n.ToString(), StringComparison.Ordinal);
        Assert.Null(LabSoakLogs.Parse("node1", other));
        Assert.Null(LabSoakLogs.Parse("node1", "not json \"EventId\":1403, at all"));
    }

    [Fact]
    public void Gossip_counters_are_read_from_a_speakers_metrics_and_deaths_count_the_larger_source()
    {
        const string exposition = """
            # HELP metallb_gossip_deaths_declared_total Suspicions of this member's that ran out (member declared dead)
            # TYPE metallb_gossip_deaths_declared_total counter
            metallb_gossip_deaths_declared_total{member="node3"} 2
            metallb_gossip_suspicions_total{member="node3"} 17
            metallb_gossip_suspicions_deferred_total{member="node3"} 5
            metallb_gossip_suspicions_deferred_total_extra{member="node3"} 99
            metallb_gossip_probes_total{member="node3"} 1234
            """;
        Assert.Equal(
            [(LabSoakGossip.Deaths, 2L), (LabSoakGossip.Suspicions, 17L), (LabSoakGossip.Deferred, 5L)],
            LabSoakGossip.Parse(exposition).ToList());

        // The logs missed a death the counters saw (or the other way round): the larger counts.
        var logged = new LabSoakLogEvent(DateTimeOffset.UnixEpoch, "node3", LabSoakLogs.DeclaredDead, "node2");
        var options = new LabSoakOptions(TimeSpan.FromMinutes(1), 5, ["node2"]);
        LabSoakResult Result(IReadOnlyList<LabSoakLogEvent> events, long counted) => new(TimeSpan.FromMinutes(1), options, false, [], null, events, 0, 0, 0, 0,
            new Dictionary<string, (long, long)>(), new LabSoakGossipCounts(counted, 17, 5, []));
        Assert.Equal(2, Result([logged], 2).GossipDeaths);
        Assert.Equal(1, Result([logged], 0).GossipDeaths);
        Assert.False(Result([], 1).TargetMet);
        Assert.True(Result([], 0).TargetMet);
        Assert.Contains("speakers' /metrics: 1 gossip members declared dead, 17 suspicions, 5 verdicts that waited", Result([], 1).Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Partition_run_times_the_double_answers_and_the_return_to_one_owner()
    {
        // Cut at 100, heal at 300; B joins A from 150; after the heal both until 340, A alone from 360.
        var probes = new List<ArpProbe>();
        for (int t = 0; t < 500; t += 20)
        {
            probes.Add(t switch
            {
                < 140 => P(t, A),
                < 340 => P(t, A, B),
                340 => P(t, B),
                _ => P(t, A),
            });
        }
        var run = LabPartitionRun.Analyse(1, "node1", "192.0.2.200", A, A, cutMs: 100, healMs: 300, dropped: 42, probes);
        Assert.True(run.TwoAnswered);
        Assert.Equal(10, run.ProbesDuringCut);
        Assert.Equal(8, run.TwoAnsweringDuringCut);
        Assert.Equal(40, run.TwoFromMsAfterCut);
        Assert.Equal(2, run.TwoAnsweringAfterHeal);
        Assert.Equal(40, run.TwoUntilMsAfterHeal);
        Assert.Equal(60, run.OneOwnerMsAfterHeal);
        Assert.True(run.TargetMet);
        Assert.Contains("partition summary: 1 runs; two nodes answered during the cut in 1", LabPartitionRun.Summary([run]), StringComparison.Ordinal);

        // No single owner after the heal: no time, target missed.
        var split = LabPartitionRun.Analyse(2, "node1", "192.0.2.200", A, null, 100, 300, 42, probes);
        Assert.Null(split.OneOwnerMsAfterHeal);
        Assert.False(split.TargetMet);
    }

    private static ArpProbe P(double ms, params string[] macs) => new(ms, macs);
}
