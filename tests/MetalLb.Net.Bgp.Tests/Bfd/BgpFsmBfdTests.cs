using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Tests.Bfd;

/// <summary>RFC 5882 §4.3 in the BGP FSM: BFD Down ends the session at once and holds it until BFD Up.</summary>
public class BgpFsmBfdTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static BgpFsm Established()
    {
        var fsm = new BgpFsm(new BgpFsmOptions { LocalAs = 65000, PeerAs = 65001, RouterId = 0xC0000201, HoldTime = TimeSpan.FromSeconds(90) });
        fsm.Handle(new BgpEvent.ManualStart(), T0);
        fsm.Handle(new BgpEvent.TcpConnectionConfirmed(), T0);
        fsm.Handle(new BgpEvent.MessageReceived(OpenMessage.Create(65001, 90, 0xC0000202, [BgpCapability.Multiprotocol(Afi.IPv4, Safi.Unicast)])), T0);
        fsm.Handle(new BgpEvent.MessageReceived(KeepaliveMessage.Instance), T0);
        Assert.Equal(BgpState.Established, fsm.State);
        return fsm;
    }

    [Fact]
    public void Bfd_down_sends_cease_10_closes_and_holds_idle()
    {
        var fsm = Established();
        var step = fsm.Handle(new BgpEvent.BfdDown(), T0);
        Assert.Equal((BgpState.Established, BgpState.Idle, TransitionReason.BfdDown), (step.From, step.State, step.Reason));
        var notification = step.Actions.OfType<FsmAction.Send>().Select(s => s.Message).OfType<NotificationMessage>().Single();
        Assert.Equal(new BgpError(BgpErrorCode.Cease, 10), notification.Error);   // RFC 9384 "BFD Down"
        Assert.Contains(step.Actions, a => a is FsmAction.CloseConnection);
        Assert.Equal(TransitionReason.BfdDown, step.Actions.OfType<FsmAction.SessionDown>().Single().Reason);
        Assert.Null(fsm.NextDeadline);   // no connect retry while BFD says down

        var accepted = fsm.Handle(new BgpEvent.TcpConnectionAccepted(), T0.AddSeconds(5));
        Assert.Equal(BgpState.Idle, accepted.State);
        Assert.Contains(accepted.Actions, a => a is FsmAction.CloseConnection);
        Assert.Equal(BgpState.Idle, fsm.Handle(new BgpEvent.ManualStart(), T0.AddSeconds(6)).State);
    }

    [Fact]
    public void Bfd_up_dials_again()
    {
        var fsm = Established();
        fsm.Handle(new BgpEvent.BfdDown(), T0);
        var up = fsm.Handle(new BgpEvent.BfdUp(), T0.AddSeconds(1));
        Assert.Equal((BgpState.Connect, TransitionReason.BfdUp), (up.State, up.Reason));
        Assert.Contains(up.Actions, a => a is FsmAction.Connect);
    }

    [Fact]
    public void Bfd_up_without_a_down_changes_nothing()
    {
        var fsm = Established();
        var step = fsm.Handle(new BgpEvent.BfdUp(), T0);
        Assert.Equal((BgpState.Established, BgpState.Established), (step.From, step.State));
        Assert.Empty(step.Actions);
    }
}
