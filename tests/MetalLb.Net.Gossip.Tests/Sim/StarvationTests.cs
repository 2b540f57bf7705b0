using System.Net;
using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Tests.Sim;

/// <summary>
/// A member whose timers run late and whose packets do not get read (a starved host) must not
/// accuse healthy members: the ack may be waiting in its socket for CPU. The 200-member fast cluster in one process collapsed
/// this way: 83-90 % of probes timed out and hundreds of thousands of false deaths followed.
/// </summary>
public sealed class StarvationTests
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
}
