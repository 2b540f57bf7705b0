using MetalLb.Net.Gossip.Swim;
using MetalLb.Net.Gossip.Tests.Sim;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Tests.Swim;

public sealed class EngineTests
{
    [Fact]
    public void A_false_accusation_is_refuted_with_a_higher_incarnation()
    {
        var cluster = new SimCluster(5, MemberlistOptions.Lan, seed: 21);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(10)));
        var accused = cluster.Members[2];
        var before = accused.AllMembers.Single(m => m.Name == accused.Name).Incarnation;

        // Member 3 tells member 2 it is dead.
        var packet = PacketCodec.Encode([WireMessage.Encode(new Dead(before, accused.Name, cluster.Members[3].Name))], false, false, null);
        cluster.Network.Inject(cluster.Addresses[3], cluster.Addresses[2], packet);

        Assert.True(cluster.Time.AdvanceUntil(() => cluster.Live.All(i =>
            cluster.Members[i].AllMembers.Single(m => m.Name == accused.Name) is { State: MemberState.Alive } m && m.Incarnation > before),
            TimeSpan.FromSeconds(10)));
        Assert.Empty(cluster.FalseFailures());
        Assert.Equal(1, accused.HealthScore);   // Lifeguard: being accused counts against our own health
    }

    /// <summary>
    /// Lifeguard's buddy system: once the suspicion's own broadcasts are spent, the pings to the
    /// suspect are its one sure way to hear it is accused (and refute) before it is declared dead.
    /// </summary>
    [Fact]
    public void Every_ping_to_a_suspected_member_carries_the_suspicion()
    {
        var cluster = new SimCluster(3, MemberlistOptions.Fast, seed: 31);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(10)));
        var target = cluster.Addresses[2];
        var name = cluster.Members[2].Name;
        var pings = new List<bool>();
        cluster.Network.Tap = (from, to, packet) =>
        {
            var sender = cluster.Members[cluster.Addresses.IndexOf(from)];
            if (!to.Equals(target) || sender.AllMembers.FirstOrDefault(m => m.Name == name)?.State != MemberState.Suspect)
                return;
            var messages = new List<IWireMessage>();
            PacketCodec.Decode(packet, null, messages);
            if (messages.Any(m => m is Ping))
                pings.Add(messages.Any(m => m is Suspect s && s.Node == name));
        };
        // Member 2 hears nothing: the others suspect it, and keep probing it until it is dead.
        cluster.Network.Deafen(target);
        cluster.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(pings.Count >= 3, $"{pings.Count} pings to the suspect");
        Assert.All(pings, Assert.True);
    }

    [Fact]
    public void Garbage_packets_are_dropped_counted_and_harmless()
    {
        var cluster = new SimCluster(3, MemberlistOptions.Lan, seed: 22);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(10)));
        var random = new Random(5);
        for (var i = 0; i < 500; i++)
        {
            var junk = new byte[random.Next(1, 200)];
            random.NextBytes(junk);
            junk[0] = (byte)random.Next(14);
            cluster.Network.Inject(cluster.Addresses[1], cluster.Addresses[0], junk);
        }
        cluster.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.InRange(cluster.Members[0].Stats.DroppedTotal, 400, 500);
        Assert.True(cluster.Converged());
    }

    [Fact]
    public async Task Encrypted_members_ignore_a_member_with_another_key()
    {
        var time = new ManualTimeProvider();
        var network = new InMemoryNetwork(time, 1);
        var a = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.1"), 7946);
        var b = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.2"), 7946);
        var c = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.3"), 7946);
        var key = SecretKey.FromMetalLbSecret("AAECAwQFBgcICQoLDA0ODw");
        var ma = new Memberlist(MemberlistOptions.Lan("a", a) with { Keyring = new Keyring(key) }, network.Connect(a), time, 1);
        var mb = new Memberlist(MemberlistOptions.Lan("b", b) with { Keyring = new Keyring(key) }, network.Connect(b), time, 2);
        var mc = new Memberlist(MemberlistOptions.Lan("c", c) with { Keyring = new Keyring(SecretKey.FromMetalLbSecret("another-secret-000000")) }, network.Connect(c), time, 3);
        ma.Start();
        mb.Start();
        mc.Start();
        var joinB = mb.JoinAsync([a]);
        var joinC = mc.JoinAsync([a]);
        time.Advance(TimeSpan.FromSeconds(5));
        // The join tasks finish on the thread pool once the simulated replies are in.
        Assert.Equal(1, await joinB.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await joinC.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["a", "b"], ma.Members.Select(m => m.Name));
        Assert.Equal(["c"], mc.Members.Select(m => m.Name));
        Assert.True(ma.Stats.Dropped(PacketError.Decrypt) >= 1);
    }
}
