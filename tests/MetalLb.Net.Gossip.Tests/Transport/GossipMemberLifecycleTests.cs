using System.Collections.Concurrent;
using System.Net;
using MetalLb.Net.Gossip.Swim;
using MetalLb.Net.Gossip.Transport;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Gossip.Tests.Transport;

/// <summary>
/// The host's stop paths: LeaveAsync and DisposeAsync in any order, twice, or at once, on real
/// loopback sockets. A leave timeout of ten minutes would show up as a hang (the
/// <see cref="Guard"/> deadline) if a stop path waited for a broadcast that can never go out.
/// </summary>
[Collection(nameof(Interop.InteropCollection))]
public sealed class GossipMemberLifecycleTests
{
    private static readonly TimeSpan LongLeave = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static GossipMember Member(string name, Action<MemberEvent>? onEvent = null) =>
        GossipMember.Start(MemberlistOptions.Fast(name, new IPEndPoint(IPAddress.Loopback, 0)), onEvent: onEvent);

    private static async Task<(GossipMember A, GossipMember B, ConcurrentQueue<MemberEvent> SeenByA)> PairAsync()
    {
        var seen = new ConcurrentQueue<MemberEvent>();
        var a = Member("a", seen.Enqueue);
        var b = Member("b");
        Assert.Equal(1, await b.JoinAsync([a.LocalEndPoint]));
        await Eventually.True(() => a.Members.Count == 2 && b.Members.Count == 2, "a and b see each other");
        return (a, b, seen);
    }

    [Fact]
    public async Task Leave_twice_then_dispose_twice_is_one_leave()
    {
        var (a, b, seen) = await PairAsync();
        await using var _ = a;
        await b.LeaveAsync(TimeSpan.FromSeconds(5)).WaitAsync(Guard);
        await b.LeaveAsync(TimeSpan.FromSeconds(5)).WaitAsync(Guard);
        await b.DisposeAsync().AsTask().WaitAsync(Guard);
        await b.DisposeAsync().AsTask().WaitAsync(Guard);
        await Eventually.True(() => seen.Any(e => e is { Kind: MemberEventKind.Leave, Member.Name: "b" }), "a saw b leave");
        Assert.DoesNotContain(seen, e => e.Kind == MemberEventKind.Fail);
    }

    [Fact]
    public async Task Dispose_then_leave_returns_without_waiting_for_a_broadcast()
    {
        var (a, b, _) = await PairAsync();
        await using var __ = a;
        await b.DisposeAsync();
        await b.LeaveAsync(LongLeave).WaitAsync(Guard);
        await b.DisposeAsync();
    }

    [Fact]
    public async Task Leave_and_dispose_at_once_both_finish()
    {
        var (a, b, _) = await PairAsync();
        await using var __ = a;
        var leave = b.LeaveAsync(LongLeave);
        var dispose = b.DisposeAsync().AsTask();
        await Task.WhenAll(leave, dispose, b.LeaveAsync(LongLeave)).WaitAsync(Guard);
    }

    [Fact]
    public async Task A_member_created_but_never_started_stops_cleanly()
    {
        var member = GossipMember.Create(MemberlistOptions.Fast("idle", new IPEndPoint(IPAddress.Loopback, 0)));
        await member.LeaveAsync(LongLeave).WaitAsync(Guard);
        await member.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(member.Start);
    }

    [Fact]
    public async Task Created_then_started_member_reports_its_first_join()
    {
        var joined = new ConcurrentQueue<string>();
        await using var a = GossipMember.Create(MemberlistOptions.Fast("a", new IPEndPoint(IPAddress.Loopback, 0)));
        a.MemberChanged += e => joined.Enqueue(e.Member.Name);
        a.Start();
        a.Start();   // a second start does nothing
        await using var b = Member("b");
        Assert.Equal(1, await b.JoinAsync([a.LocalEndPoint]));
        await Eventually.True(() => joined.Contains("b"), "a raised b's join");
    }
}
