using System.Net.Sockets;
using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Session;

internal sealed partial class BgpPeerSession
{
    /// <summary>
    /// A connection from the peer. Before ours got anywhere it simply becomes the session; an
    /// Established session always wins (RFC 4271 §6.8); while ours is in OpenSent or OpenConfirm
    /// the new one runs its own FSM until an OPEN tells us the peer's BGP Identifier, and then
    /// the higher Identifier keeps the connection it opened.
    /// </summary>
    private async Task OnInboundAsync(Socket socket)
    {
        var now = _time.GetUtcNow();
        try
        {
            socket.NoDelay = true;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return;
        }
        switch (_fsm.State)
        {
            case BgpState.Idle or BgpState.Connect or BgpState.Active:
                CloseConnection(); // abandon our own dial
                _connection = new BgpConnection(socket, _connectionId, Post);
                await ApplyAsync(_fsm.Handle(new BgpEvent.TcpConnectionAccepted(), now)).ConfigureAwait(false);
                return;
            case BgpState.OpenSent or BgpState.OpenConfirm when _inboundFsm is null:
                _inboundId = ++_nextId;
                _inbound = new BgpConnection(socket, _inboundId, Post);
                _inboundFsm = NewFsm();
                await ApplyInboundAsync(_inboundFsm.Handle(new BgpEvent.TcpConnectionAccepted(), now)).ConfigureAwait(false);
                if (_fsm.State == BgpState.OpenConfirm && _inboundFsm is not null)
                    await ResolveCollisionAsync(_fsm.Session!.PeerRouterId).ConfigureAwait(false);
                return;
            default:
                Reject(socket);
                return;
        }
    }

    /// <summary>Performs the second connection's actions; it never reaches Established on its own.</summary>
    private async Task ApplyInboundAsync(FsmStep step)
    {
        foreach (var action in step.Actions)
        {
            if (action is FsmAction.Send s && _inbound is { } c && !await c.SendAsync([s.Message]).ConfigureAwait(false))
                Post(c.Id, new BgpEvent.TcpConnectionClosed());
            else if (action is FsmAction.CloseConnection)
                DropInbound();
        }
        if (_inboundFsm?.State == BgpState.Idle)
            DropInbound();
    }

    private async Task ResolveCollisionAsync(uint peerRouterId)
    {
        var now = _time.GetUtcNow();
        if (CollisionResolver.KeepLocallyInitiated(_fsmOptions.RouterId, peerRouterId))
        {
            await ApplyInboundAsync(_inboundFsm!.Handle(new BgpEvent.CollisionLost(), now)).ConfigureAwait(false);
            return;
        }
        // Ours loses: Cease 6/7 on it, and the peer's connection carries on as the session.
        await ApplyAsync(_fsm.Handle(new BgpEvent.CollisionLost(), now)).ConfigureAwait(false);
        _fsm = _inboundFsm!;
        _connection = _inbound;
        _connectionId = _inboundId;
        _inboundFsm = null;
        _inbound = null;
        _inboundId = -1;
        Publish(TransitionReason.CollisionResolution);
        _onChange(new BgpPeerStateChange(Name, BgpState.Idle, _fsm.State, TransitionReason.CollisionResolution, default));
    }

    private void DropInbound()
    {
        _inbound?.Dispose();
        _inbound = null;
        _inboundFsm = null;
        _inboundId = -1;
    }

    private static void Reject(Socket socket)
    {
        // RFC 4271 §6.8: the losing connection is closed with Cease / Connection Collision Resolution.
        try
        {
            socket.Send(new NotificationMessage(BgpError.CeaseConnectionCollisionResolution).ToArray());
        }
        catch (SocketException)
        {
            // nothing more to tell a peer that is gone
        }
        socket.Dispose();
    }
}
