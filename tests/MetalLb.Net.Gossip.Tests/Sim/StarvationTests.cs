using System.Net;
using MetalLb.Net.Gossip.Swim;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Tests.Sim;

/// <summary>
/// A member whose timers run late and whose packets do not get read (a starved host) must not
/// accuse healthy members: the ack may be waiting in its socket for CPU. The 200-member fast cluster in one process collapsed
/// this way: 83-90 % of probes timed out and hundreds of thousands of false deaths followed.
/// </summary>
public sealed class StarvationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void A_member_whose_timers_run_late_accuses_nobody()
    {
        var time = new ManualTimeProvider();
        var network = new InMemoryNetwork(time, seed: 41);
        var members = new List<Memberlist>();
        var addresses = new List<IPEndPoint>();
        var fails = new List<(int Observer, string Member)>();
        for (var i = 0; i < 10; i++)
        {
            var address = new IPEndPoint(IPAddress.Parse($"192.0.2.{i + 1}"), 7946);
            // Member 0's timers all fire 400 ms late: later than even the longest probe timeout
            // Lifeguard stretches to (40 ms x 8).
            TimeProvider clock = i == 0 ? new LaggingTimeProvider(time, TimeSpan.FromMilliseconds(400)) : time;
            // The simulator's stream replies bypass a deafened member, so a TCP ping would still
            // bring member 0 its acks; without it, member 0 hears nothing at all.
            var options = MemberlistOptions.Fast($"node-{i}", address) with { DisableTcpPings = i == 0 };
            var member = new Memberlist(options, network.Connect(address), clock, 4100 + i);
            var observer = i;
            member.MemberChanged += e =>
            {
                if (e.Kind == MemberEventKind.Fail)
                    fails.Add((observer, e.Member.Name));
            };
            members.Add(member);
            addresses.Add(address);
            member.Start();
        }
        for (var i = 1; i < members.Count; i++)
            _ = members[i].JoinAsync([addresses[0]]);
        Assert.True(time.AdvanceUntil(() => members.All(m => m.MemberCount == 10), TimeSpan.FromSeconds(30)));

        // From now on member 0 reads nothing: no ack ever reaches it, as if its receive loop had no CPU.
        network.Deafen(addresses[0]);
        time.Advance(TimeSpan.FromSeconds(30));

        var starved = members[0].Stats;
        Assert.Equal(0, starved.ProbesFailed);
        Assert.InRange(starved.ProbesInconclusive, 10, long.MaxValue);
        Assert.InRange(members[0].HealthScore, 1, 7);
        // Member 0 suspected nobody, so declared nobody dead; the others may give up on it, and only on it.
        Assert.Equal(0, starved.Suspicions);
        Assert.DoesNotContain(fails, f => f.Observer == 0);
        Assert.All(fails, f => Assert.Equal("node-0", f.Member));
    }

    /// <summary>
    /// Two of three members read their packets 20 to 150 ms late (throttled CPUs, as in `lab
    /// soak`), longer than the fast profile's 40 ms probe timeout. With the adaptive timeout
    /// the others learn how slow they are, and nobody is declared dead; with memberlist's fixed
    /// timeout they are suspected over and over. A healthy member that dies is still found at
    /// the configured pace: its acks never taught anyone to wait longer.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Slow_members_are_given_the_time_their_acks_take(bool adaptive)
    {
        var cluster = new SimCluster(3, (name, address) => MemberlistOptions.Fast(name, address) with { AdaptiveProbeTimeout = adaptive }, seed: 43);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(10)));
        cluster.Network.Slow(cluster.Addresses[1], 20, 150);
        cluster.Network.Slow(cluster.Addresses[2], 20, 150);
        cluster.Time.Advance(TimeSpan.FromMinutes(5));
        long suspicions = cluster.Members.Sum(m => m.Stats.Suspicions);
        output.WriteLine($"adaptive {adaptive}: {suspicions} suspicions, {cluster.FalseFailures().Count} false deaths in 5 min");
        if (adaptive)
        {
            Assert.Empty(cluster.FalseFailures());
            Assert.InRange(suspicions, 0, 5);
        }
        else
        {
            Assert.InRange(suspicions, 100, long.MaxValue);
        }

        // Now member 0 (healthy, fast acks) dies: still declared dead within its (unchanged) timeouts.
        cluster.Kill(0);
        var killed = cluster.Time.GetUtcNow();
        Assert.True(cluster.Time.AdvanceUntil(() => cluster.Live.All(i => cluster.Members[i].AllMembers.Any(m => m.Name == "node-00" && m.State == MemberState.Dead)),
            TimeSpan.FromSeconds(30)));
        output.WriteLine($"member 0 dead everywhere {(cluster.Time.GetUtcNow() - killed).TotalMilliseconds} ms after the kill");
    }

    /// <summary>
    /// The soak's last false death (docs/lab.md): a starved member's suspicion ran out while the
    /// suspect's refutation sat unread in its socket. Here member 0 reads every packet 60 ms
    /// after it arrives, and member 1 hears nothing, so member 0 suspects it and member 1 never
    /// refutes by itself. Then member 1 hears again, and its refutation is put on the wire 20 ms
    /// before member 0's suspicion is due: in member 0's socket in time, read 40 ms after the
    /// deadline. Member 0 must read it before it judges. Without the refutation, member 1 is still declared dead, within one
    /// awareness-scaled probe interval of the timeout.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_starved_member_reads_the_refutation_waiting_in_its_socket_before_it_judges(bool refutes)
    {
        // Fixed probe timeouts, so the suspicion's timeout is the plain min: 3 x 100 ms for two members.
        var cluster = new SimCluster(2, (name, address) => MemberlistOptions.Fast(name, address) with { AdaptiveProbeTimeout = false }, seed: 47);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(10)));
        var (starved, suspect) = (cluster.Members[0], cluster.Members[1]);
        var options = MemberlistOptions.Fast(starved.Name, cluster.Addresses[0]);
        var timeout = SuspicionTimeout.Min(options.SuspicionMult, 2, options.ProbeInterval);
        cluster.Network.Slow(cluster.Addresses[0], 60, 60);
        cluster.Network.Deafen(cluster.Addresses[1]);

        Member Seen() => starved.AllMembers.Single(m => m.Name == suspect.Name);
        Assert.True(cluster.Time.AdvanceUntil(() => Seen().State == MemberState.Suspect, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1)));
        var suspectedAt = cluster.Time.GetUtcNow();
        var incarnation = Seen().Incarnation;
        cluster.Time.Advance(timeout - TimeSpan.FromMilliseconds(20));
        Assert.Equal(MemberState.Suspect, Seen().State);
        if (refutes)
        {
            var address = cluster.Addresses[1];
            var alive = new Alive(incarnation + 1, suspect.Name, address.Address.GetAddressBytes(), (ushort)address.Port, [], Memberlist.Versions);
            cluster.Network.Inject(address, cluster.Addresses[0], PacketCodec.Encode([WireMessage.Encode(alive)], false, false, null));
            cluster.Network.Undeafen(address);
        }

        // Longest the verdict can wait: one probe interval at the highest awareness score, plus the read delay.
        var patience = options.ProbeInterval * options.AwarenessMaxMultiplier + TimeSpan.FromMilliseconds(100);
        var declared = cluster.Time.AdvanceUntil(() => Seen().State == MemberState.Dead, patience, TimeSpan.FromMilliseconds(1));
        output.WriteLine($"refutes {refutes}: verdict {(declared ? "dead" : "none")} at {(cluster.Time.GetUtcNow() - suspectedAt).TotalMilliseconds} ms " +
            $"(timeout {timeout.TotalMilliseconds} ms), {starved.Stats.SuspicionsDeferred} deferred, health {starved.HealthScore}");
        Assert.True(starved.Stats.SuspicionsDeferred >= 1, "the verdict never waited for the unread packets");
        if (refutes)
        {
            Assert.False(declared, "declared dead with the refutation waiting unread");
            Assert.Equal(MemberState.Alive, Seen().State);
            Assert.True(Seen().Incarnation > incarnation);
            Assert.Equal(0, starved.Stats.DeathsDeclared);
        }
        else
        {
            Assert.True(declared, "a member that never refuted was not declared dead");
            Assert.Equal(1, starved.Stats.DeathsDeclared);
        }
    }
}
