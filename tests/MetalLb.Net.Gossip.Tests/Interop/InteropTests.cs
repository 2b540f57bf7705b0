using System.Collections.Concurrent;
using System.Net;
using MetalLb.Net.Gossip.Swim;
using MetalLb.Net.Gossip.Transport;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Tests.Interop;

/// <summary>
/// Our members and hashicorp/memberlist (Go, Debian's 0.2.2) in one cluster on loopback, plain
/// and encrypted with upstream MetalLB's key derivation on both sides. Real sockets and real
/// time: every wait has a deadline; none asserts how fast anything happened.
/// </summary>
[Trait("Category", "Interop")]
[Collection(nameof(InteropCollection))]
public sealed class InteropTests : IAsyncLifetime
{
    private const string Secret = "c2VjcmV0LW9mLW1ldGFsbGI";   // 22 characters, like the controller's
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly List<GoMemberlistPeer> _peers = [];
    private readonly List<GossipMember> _members = [];
    private readonly ConcurrentQueue<(string Observer, MemberEvent Event)> _events = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var peer in _peers)
            peer.Dispose();
        foreach (var member in _members)
            await member.DisposeAsync();
    }

    // Upstream's LAN timings on our side too: a busy shared CI box must not make anyone look dead.
    private GossipMember Ours(string name, string? secret, bool fast = false)
    {
        var address = new IPEndPoint(IPAddress.Loopback, 0);
        var options = (fast ? MemberlistOptions.Fast(name, address) : MemberlistOptions.Lan(name, address)) with
        {
            Keyring = secret is null ? null : new Keyring(SecretKey.FromMetalLbSecret(secret)),
        };
        var member = GossipMember.Start(options, onEvent: e => _events.Enqueue((name, e)));
        _members.Add(member);
        return member;
    }

    private GoMemberlistPeer Go(string name, string? secret, params IPEndPoint[] join) => Go(name, secret, 0, join);

    private GoMemberlistPeer Go(string name, string? secret, int suspicionMult, params IPEndPoint[] join)
    {
        var peer = GoMemberlistPeer.Start(name, secret, suspicionMult, join);
        _peers.Add(peer);
        return peer;
    }

    private async Task WaitForEvent(string observer, MemberEventKind kind, string member)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!_events.Any(e => e.Observer == observer && e.Event.Kind == kind && e.Event.Member.Name == member))
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"{observer} never saw {kind} of {member}; saw: {string.Join(", ", _events.Select(e => $"{e.Observer}:{e.Event.Kind}:{e.Event.Member.Name}"))}");
            await Task.Delay(20);
        }
    }

    private static async Task WaitForMembers(GossipMember member, params string[] names)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!member.Members.Select(m => m.Name).SequenceEqual(names.Order(StringComparer.Ordinal)))
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"{member.Memberlist.Name} lists {string.Join(",", member.Members.Select(m => m.Name))}");
            await Task.Delay(20);
        }
    }

    [SkippableTheory]
    [InlineData(null)]
    [InlineData(Secret)]
    public async Task Members_join_and_leave_gracefully_across_implementations(string? secret)
    {
        GoMemberlistPeer.BinaryPath();
        var d1 = Ours("d1", secret);
        var g1 = Go("g1", secret, d1.LocalEndPoint);           // Go pushes and pulls to us
        var d2 = Ours("d2", secret);
        Assert.Equal(1, await d2.JoinAsync([g1.EndPoint]));   // we push and pull to Go
        g1.WaitForMembers("d1,d2,g1", Deadline);
        await WaitForMembers(d1, "d1", "d2", "g1");
        await WaitForMembers(d2, "d1", "d2", "g1");

        g1.Send("leave");
        g1.WaitFor(l => l == "LEFT", Deadline);
        await WaitForEvent("d1", MemberEventKind.Leave, "g1");
        await WaitForEvent("d2", MemberEventKind.Leave, "g1");

        // memberlist 0.2.2's events do not say left or dead. With a suspicion multiplier of 10000
        // this member could only declare d2 dead after hours, so a LEAVE within the deadline is
        // d2's own leave message (and d1 reports no failure either, asserted below).
        var g2 = Go("g2", secret, 10_000, d1.LocalEndPoint);
        g2.WaitForMembers("d1,d2,g2", Deadline);
        await d2.LeaveAsync(TimeSpan.FromSeconds(5));
        g2.WaitFor(l => l == "LEAVE d2", Deadline);
        await WaitForEvent("d1", MemberEventKind.Leave, "d2");
        Assert.DoesNotContain(_events, e => e.Event.Kind == MemberEventKind.Fail);
    }

    [SkippableTheory]
    [InlineData(null)]
    [InlineData(Secret)]
    public async Task Killed_members_are_declared_dead_across_implementations(string? secret)
    {
        GoMemberlistPeer.BinaryPath();
        var d1 = Ours("d1", secret);
        var g1 = Go("g1", secret, d1.LocalEndPoint);
        var g2 = Go("g2", secret, d1.LocalEndPoint);
        var d2 = Ours("d2", secret);
        Assert.Equal(1, await d2.JoinAsync([g1.EndPoint]));
        g2.WaitForMembers("d1,d2,g1,g2", Deadline);
        await WaitForMembers(d1, "d1", "d2", "g1", "g2");

        g1.Kill();
        await WaitForEvent("d1", MemberEventKind.Fail, "g1");
        await WaitForEvent("d2", MemberEventKind.Fail, "g1");
        g2.WaitFor(l => l == "LEAVE g1", Deadline);

        await d2.DisposeAsync();   // a crash: no leave message
        g2.WaitFor(l => l == "LEAVE d2", Deadline);
        await WaitForEvent("d1", MemberEventKind.Fail, "d2");
    }

    [SkippableFact]
    public async Task A_wrong_key_is_refused_on_both_sides()
    {
        GoMemberlistPeer.BinaryPath();
        var d1 = Ours("d1", Secret);
        var g1 = Go("g1", "another-secret-entirely", d1.LocalEndPoint);
        g1.WaitFor(l => l.StartsWith("ERR join", StringComparison.Ordinal), Deadline);   // Go could not read our reply
        Assert.Equal(0, await d1.JoinAsync([g1.EndPoint]));                              // nor we Go's
        g1.WaitForMembers("g1", Deadline);
        Assert.Equal(["d1"], d1.Members.Select(m => m.Name));
        Assert.True(d1.Memberlist.Stats.Dropped(PacketError.Decrypt) >= 1);
    }
}
