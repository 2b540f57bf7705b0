using System.Net;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Swim;

// Membership state changes, with memberlist's rules: a message about a member counts only if
// its incarnation is not older than what we hold; accusations about ourselves are refuted
// with a higher incarnation; every accepted change is re-broadcast.
public sealed partial class Memberlist
{
    private void AliveNode(Alive alive, bool bootstrap = false)
    {
        if (!TryEndPoint(alive.Addr, alive.Port, out var address))
            return;
        // memberlist ignores alive messages carrying impossible protocol ranges.
        if (alive.Vsn.Length >= 3 && (alive.Vsn[0] == 0 || alive.Vsn[1] == 0 || alive.Vsn[0] > alive.Vsn[1]))
            return;
        var isSelf = alive.Node == _self.Name;
        if (isSelf && _leaving)
            return;
        var isNew = !_nodes.TryGetValue(alive.Node, out var state);
        var updatesAddress = false;
        if (state is null)
        {
            state = new NodeState(alive.Node, address);
            _nodes[alive.Node] = state;
            // A random place in the probe order, so newcomers are not all probed first.
            _probeOrder.Insert(_random.Next(_probeOrder.Count + 1), state);
        }
        else if (!state.Address.Equals(address))
        {
            // Another member claims this name from elsewhere: only a departed member's name may move.
            if (!state.IsDeadOrLeft)
                return;
            updatesAddress = true;
        }
        if (!isNew && !updatesAddress && !isSelf && alive.Incarnation <= state.Incarnation)
            return;
        if (isSelf && alive.Incarnation < state.Incarnation)
            return;

        CancelSuspicion(alive.Node);
        var oldState = state.State;
        var oldMeta = state.Meta;
        if (isSelf && !bootstrap)
        {
            // Someone repeats an older word about us; if it is not exactly our current one, out-shout it.
            if (alive.Incarnation == state.Incarnation && alive.Meta.AsSpan().SequenceEqual(state.Meta)
                && alive.Vsn.AsSpan().SequenceEqual(Versions))
                return;
            Refute(alive.Incarnation);
            return;
        }
        _broadcasts.Enqueue(alive.Node, WireMessage.Encode(alive));
        state.Incarnation = alive.Incarnation;
        state.Meta = alive.Meta;
        var previous = state.Address;
        state.Address = address;
        if (isNew || updatesAddress)
            IndexAddress(state, isNew ? null : previous);
        if (alive.Vsn.Length >= 6)
            state.Vsn = alive.Vsn;
        if (state.State != MemberState.Alive || isNew)
        {
            state.State = MemberState.Alive;
            state.StateChange = _time.GetTimestamp();
        }
        if (isNew || oldState is MemberState.Dead or MemberState.Left)
            Raise(MemberEventKind.Join, state);
        else if (!oldMeta.AsSpan().SequenceEqual(state.Meta) || updatesAddress)
            Raise(MemberEventKind.Update, state);
    }

    /// <summary>How soon a verdict waiting for unread packets looks again (the receive loop needs only our lock).</summary>
    private static readonly TimeSpan UnreadRecheck = TimeSpan.FromMilliseconds(1);

    private void SuspectNode(Suspect suspect)
    {
        if (!_nodes.TryGetValue(suspect.Node, out var state) || suspect.Incarnation < state.Incarnation)
            return;
        if (_suspicions.TryGetValue(suspect.Node, out var running) && suspect.Incarnation > running.Incarnation)
        {
            // A suspicion at a newer incarnation means the member refuted the old one (we missed
            // its alive): start over at the new incarnation rather than count it as a
            // confirmation, which memberlist does and which shortens the member's chance to refute.
            CancelSuspicion(suspect.Node);
            state.State = MemberState.Alive;
            running = null;
        }
        if (running is not null)
        {
            // An independent confirmation shortens the timeout (Lifeguard) and is worth spreading.
            if (running.Confirm(suspect.From))
            {
                _broadcasts.Enqueue(suspect.Node, WireMessage.Encode(suspect));
                RescheduleSuspicion(suspect.Node, running);
            }
            return;
        }
        if (state.State != MemberState.Alive)
            return;
        if (state == _self)
        {
            Refute(suspect.Incarnation);
            return;
        }
        _broadcasts.Enqueue(suspect.Node, WireMessage.Encode(suspect));
        state.Incarnation = suspect.Incarnation;
        state.State = MemberState.Suspect;
        Stats.Suspected();
        var now = _time.GetTimestamp();
        state.StateChange = now;

        var n = _nodes.Count;
        var expected = SuspicionTimeout.ExpectedConfirmations(_options.SuspicionMult, n);
        var min = SuspicionTimeout.Min(_options.SuspicionMult, n, _options.ProbeInterval);
        // A member that earned a longer probe timeout also gets longer to refute (AckTimeout).
        if (_options.AdaptiveProbeTimeout && _options.SuspicionMult * ProbeTimeoutFor(state) is var earned && earned > min)
            min = earned;
        var max = min * _options.SuspicionMaxTimeoutMult;
        var suspicion = new Suspicion(suspect.From, expected, min, max, now, suspect.Incarnation);
        _suspicions[suspect.Node] = suspicion;
        RescheduleSuspicion(suspect.Node, suspicion);
    }

    private void RescheduleSuspicion(string member, Suspicion suspicion)
    {
        var remaining = suspicion.Deadline - _time.GetElapsedTime(suspicion.Start);
        if (remaining <= TimeSpan.Zero)
            remaining = TimeSpan.FromTicks(1);
        suspicion.Timer?.Dispose();
        suspicion.Timer = _time.CreateTimer(_ => Run(() => OnSuspicionExpired(member, suspicion)), null,
            remaining, Timeout.InfiniteTimeSpan);
    }

    private void OnSuspicionExpired(string member, Suspicion suspicion)
    {
        if (!_suspicions.TryGetValue(member, out var current) || current != suspicion)
            return;
        if (!_nodes.TryGetValue(member, out var state) || state.State != MemberState.Suspect)
            return;
        if (DeferVerdict(suspicion))
        {
            RescheduleSuspicion(member, suspicion);
            return;
        }
        Stats.DeclaredDead();
        DeadNode(new Dead(state.Incarnation, member, _self.Name));
    }

    /// <summary>
    /// Lifeguard's rule for late probe rounds, applied to the suspicion's own timer: a starved
    /// process cannot tell a member that did not refute from a refutation it had no CPU to read
    /// (the soak's last false death, docs/lab.md). So while packets wait unread in our socket,
    /// read them first and look again in a millisecond, for at most one awareness-scaled probe
    /// interval per suspicion. A member that is really dead is declared that much later, and
    /// only by a member whose socket is behind.
    /// </summary>
    private bool DeferVerdict(Suspicion suspicion)
    {
        if (!_transport.HasUnreadPackets)
            return false;
        var elapsed = _time.GetElapsedTime(suspicion.Start);
        if (suspicion.GraceEnds is null)
        {
            Stats.SuspicionDeferred();
            suspicion.GraceEnds = elapsed + _awareness.Scale(_options.ProbeInterval);
        }
        if (elapsed >= suspicion.GraceEnds)
            return false;
        suspicion.Grace = elapsed + UnreadRecheck - suspicion.Timeout;
        return true;
    }

    private void CancelSuspicion(string member)
    {
        if (_suspicions.Remove(member, out var suspicion))
            suspicion.Timer?.Dispose();
    }

    private void DeadNode(Dead dead, Action? broadcastFinished = null)
    {
        if (!_nodes.TryGetValue(dead.Node, out var state) || dead.Incarnation < state.Incarnation)
            return;
        CancelSuspicion(dead.Node);
        if (state.IsDeadOrLeft)
            return;
        if (state == _self && !_leaving)
        {
            Refute(dead.Incarnation);
            return;
        }
        _broadcasts.Enqueue(dead.Node, WireMessage.Encode(dead), broadcastFinished);
        state.Incarnation = dead.Incarnation;
        state.State = dead.IsLeave ? MemberState.Left : MemberState.Dead;
        state.StateChange = _time.GetTimestamp();
        if (state != _self)
            Raise(dead.IsLeave ? MemberEventKind.Leave : MemberEventKind.Fail, state);
    }

    /// <summary>Someone thinks we are suspect or dead: claim a higher incarnation and say we are alive.</summary>
    private void Refute(uint accused)
    {
        var incarnation = Math.Max(_self.Incarnation, accused) + 1;
        _self.Incarnation = incarnation;
        Stats.Refuted();
        // Lifeguard: being accused hints that we are the slow one.
        _awareness.ApplyDelta(1);
        _broadcasts.Enqueue(_self.Name, WireMessage.Encode(SelfAlive()));
    }

    private Alive SelfAlive() => new(_self.Incarnation, _self.Name, AddressBytes(_self.Address),
        (ushort)_self.Address.Port, _self.Meta, Versions);

    private void MergeState(IReadOnlyList<PushNodeState> remote)
    {
        foreach (var r in remote)
        {
            switch (r.State)
            {
                case MemberState.Alive:
                    AliveNode(new Alive(r.Incarnation, r.Name, r.Addr, r.Port, r.Meta, r.Vsn));
                    break;
                case MemberState.Left:
                    DeadNode(new Dead(r.Incarnation, r.Name, r.Name));
                    break;
                default:
                    // Someone else's dead verdict only makes us suspect: we check for ourselves (memberlist does the same).
                    SuspectNode(new Suspect(r.Incarnation, r.Name, _self.Name));
                    break;
            }
        }
    }

    private List<PushNodeState> LocalState() =>
    [
        .. _nodes.Values.Select(n => new PushNodeState(n.Name, AddressBytes(n.Address), (ushort)n.Address.Port,
            n.Meta, n.Incarnation, n.State, n.Vsn.Length >= 6 ? n.Vsn : Versions)),
    ];
}
