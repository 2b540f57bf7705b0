using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Fsm;

public sealed partial class BgpFsm
{
    /// <summary>Our OPEN: MP for each family, route refresh, 4-octet AS, and graceful restart when configured.</summary>
    public OpenMessage CreateOpen()
    {
        var caps = new List<BgpCapability>();
        caps.AddRange(Options.Families.Select(f => BgpCapability.Multiprotocol(f, Safi.Unicast)));
        caps.Add(BgpCapability.RouteRefresh());
        caps.Add(BgpCapability.FourOctetAs(Options.LocalAs));
        if (Options.GracefulRestartTime is { } restart)
        {
            // RFC 4724 §3: the F bit says we kept forwarding; a speaker's node keeps forwarding to
            // its services across our process restart, so it is set, and the peer keeps our routes.
            caps.Add(BgpCapability.GracefulRestart(new GracefulRestartCapability(Options.Restarting,
                (ushort)Math.Min(0x0FFF, restart.TotalSeconds), [.. Options.Families.Select(f => (f, Safi.Unicast, true))])));
        }
        return OpenMessage.Create(Options.LocalAs, (ushort)Options.HoldTime.TotalSeconds, Options.RouterId, caps);
    }

    private FsmStep OnMessage(BgpMessage message, DateTimeOffset now)
    {
        if (message is NotificationMessage n)
        {
            // RFC 4271 §8.2.2: a NOTIFICATION ends the connection; nothing is sent back.
            var wasUp = State == BgpState.Established;
            var step = Fail(now, TransitionReason.NotificationReceived, default);
            return wasUp
                ? step with { Actions = [.. step.Actions.Where(a => a is not FsmAction.SessionDown), new FsmAction.SessionDown(TransitionReason.NotificationReceived, n.Error)] }
                : step;
        }
        // Any message from the peer proves it alive (hold timer restart, §8.2.2 Established).
        if (_holdAt is not null && Session is { } s && s.HoldTime > TimeSpan.Zero)
            _holdAt = now + s.HoldTime;

        return (State, message) switch
        {
            (BgpState.OpenSent, OpenMessage open) => OnOpen(open, now),
            (BgpState.OpenConfirm, KeepaliveMessage) => Established(),
            (BgpState.Established, KeepaliveMessage) => Stay(TransitionReason.KeepaliveReceived),
            (BgpState.Established, UpdateMessage u) => OnUpdate(u, now),
            (BgpState.Established, RouteRefreshMessage rr) => OnRouteRefresh(rr),
            // RFC 6608 §4: the subcode says in which state the unexpected message came.
            (BgpState.OpenSent, _) => Fail(now, TransitionReason.UnexpectedMessage, BgpError.FsmError(1)),
            (BgpState.OpenConfirm, _) => Fail(now, TransitionReason.UnexpectedMessage, BgpError.FsmError(2)),
            (BgpState.Established, _) => Fail(now, TransitionReason.UnexpectedMessage, BgpError.FsmError(3)),
            _ => Fail(now, TransitionReason.UnexpectedMessage, default),
        };
    }

    private FsmStep OnOpen(OpenMessage open, DateTimeOffset now)
    {
        var error = Negotiate(open, out var session);
        if (error.IsError)
            return Fail(now, TransitionReason.OpenRejected, error);
        Session = session;
        _connectRetryAt = null;
        // §4.4: keepalives at a third of the hold time; none at all when it is zero.
        if (session!.HoldTime > TimeSpan.Zero)
        {
            _holdAt = now + session.HoldTime;
            _keepaliveAt = now + Jittered(session.KeepaliveTime);
        }
        else
            _holdAt = _keepaliveAt = null;
        return Move(BgpState.OpenConfirm, TransitionReason.OpenReceived, new FsmAction.Send(KeepaliveMessage.Instance));
    }

    private BgpError Negotiate(OpenMessage open, out NegotiatedSession? session)
    {
        session = null;
        if (open.PeerAs != Options.PeerAs)
            return BgpError.BadPeerAs;
        // RFC 6286 §2.2: within one AS the identifiers must differ.
        if (Options.PeerAs == Options.LocalAs && open.BgpIdentifier == Options.RouterId)
            return BgpError.BadBgpIdentifier;
        var peerHold = TimeSpan.FromSeconds(open.HoldTime);
        var hold = peerHold < Options.HoldTime ? peerHold : Options.HoldTime;
        var keepalive = hold / 3;
        if (Options.KeepaliveTime is { } k && k < keepalive)
            keepalive = k;
        // RFC 4760 §8: a peer without MP capabilities speaks IPv4 unicast only.
        var peerFamilies = open.Capabilities.Select(c => c.TryGetMultiprotocol(out var a, out var sf) && sf == Safi.Unicast ? a : (Afi)0)
            .Where(a => a != 0).ToList();
        if (!open.Capabilities.Any(c => c.Code == CapabilityCode.Multiprotocol))
            peerFamilies = [Afi.IPv4];
        var families = Options.Families.Where(peerFamilies.Contains).ToList();
        if (families.Count == 0)
            return BgpError.UnsupportedCapability(BgpCapability.Multiprotocol(Options.Families[0], Safi.Unicast).Value);
        GracefulRestartCapability? peerGr = null;
        if (open.Capabilities.FirstOrDefault(c => c.Code == CapabilityCode.GracefulRestart) is { } gr)
            _ = GracefulRestartCapability.TryParse(gr.Value.Span, out peerGr); // malformed: as if absent
        session = new NegotiatedSession(open.PeerAs, open.BgpIdentifier, hold, keepalive, open.SupportsFourOctetAs,
            open.Capabilities.Any(c => c.Code is CapabilityCode.RouteRefresh or CapabilityCode.EnhancedRouteRefresh),
            families, peerGr, Options.GracefulRestartTime is not null && peerGr is not null);
        return default;
    }

    private FsmStep Established()
    {
        _backoff = Options.ConnectRetryMin;
        ConnectRetryCounter = 0;
        return Move(BgpState.Established, TransitionReason.KeepaliveReceived, new FsmAction.SessionEstablished(Session!));
    }

    private FsmStep OnUpdate(UpdateMessage update, DateTimeOffset now)
    {
        var r = UpdateValidator.Validate(update, Session!.FourOctetAs, Options.PeerAs == Options.LocalAs);
        if (r.Action == UpdateErrorAction.SessionReset)
            return Fail(now, TransitionReason.UpdateError, r.Error);
        return Stay(TransitionReason.UpdateReceived, new FsmAction.RoutesReceived(r));
    }

    private FsmStep OnRouteRefresh(RouteRefreshMessage rr)
    {
        // RFC 2918 §4: a family we never negotiated is ignored. RFC 7313 subtypes 1/2 (BoRR/EoRR) too.
        if (rr.Subtype != 0 || rr.Safi != Safi.Unicast || !Session!.Families.Contains(rr.Afi))
            return Stay(TransitionReason.Ignored);
        return Stay(TransitionReason.RouteRefreshReceived, new FsmAction.ResendRoutes(rr.Afi, rr.Safi));
    }
}
