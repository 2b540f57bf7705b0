using System.Buffers;
using System.Net;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Swim;

// SWIM failure detection: one probe round per probe interval (stretched by local health).
// Direct ping; after the probe timeout, indirect pings through k other members (asking them
// for a nack if the target stays silent); if nothing acknowledges by the end of the interval,
// the member is suspected.
public sealed partial class Memberlist
{
    private ProbeRound? _round;

    private void StartProbeRound()
    {
        var start = _time.GetTimestamp();
        var target = NextProbeTarget();
        if (target is null)
        {
            ScheduleNextProbe(start);
            return;
        }
        var round = new ProbeRound(target, NextSequence(), start);
        _round = round;
        Stats.Probe();
        _acks[round.Sequence] = new PendingAck { OnAck = from => FinishProbe(round, acked: true, from), OnNack = () => round.Nacks++ };
        Send(target.Address, new Ping(round.Sequence, target.Name, SourceAddr: null), BuddyNote(target.Name));
        round.Timeout = _awareness.Scale(ProbeTimeoutFor(target));
        round.Timer = _time.CreateTimer(_ => Run(() => OnProbeTimeout(round)), null, round.Timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The configured probe timeout, or what this member's acks have earned (<see cref="AckTimeout"/>).</summary>
    private TimeSpan ProbeTimeoutFor(NodeState member) =>
        _options.AdaptiveProbeTimeout ? AckTimeout.For(member, _options.ProbeTimeout, _options.AdaptiveProbeTimeoutCap) : _options.ProbeTimeout;

    private void OnProbeTimeout(ProbeRound round)
    {
        if (_round != round)
            return;
        round.TimedOut = true;
        Stats.ProbeTimedOut();
        // Lifeguard, for a starved host: if our own timer fired much later than asked, the ack
        // may be sitting unread in our socket. Judge nothing this round, and slow down.
        var timeout = round.Timeout;
        if (_time.GetElapsedTime(round.Start) - timeout > timeout)
        {
            round.Starved = true;
            _awareness.ApplyDelta(1);
        }
        // Indirect probes through up to k other live members (SWIM's ping-req).
        var helpers = RandomMembers(_options.IndirectChecks, n => n != round.Target && n.State == MemberState.Alive);
        var targetAddress = AddressBytes(round.Target.Address);
        foreach (var helper in helpers)
        {
            // Nacks exist from protocol 4 on; only those helpers count towards local health.
            var nack = helper.ProtocolMax >= 4;
            if (nack)
                round.ExpectedNacks++;
            Send(helper.Address, new IndirectPing(round.Sequence, targetAddress, (ushort)round.Target.Address.Port,
                round.Target.Name, nack));
        }
        // memberlist also tries a TCP ping in parallel: a reliable stream gets through loss that
        // eats UDP, so one lossy link does not turn into a suspicion.
        if (!_options.DisableTcpPings && round.Target.ProtocolMax >= 3)
            StartStreamPing(round);
        // A member given a longer timeout keeps the same time after it for the indirect probes.
        var interval = _awareness.Scale(_options.ProbeInterval) + (timeout - _awareness.Scale(_options.ProbeTimeout));
        round.Interval = interval;
        var remaining = interval - _time.GetElapsedTime(round.Start);
        round.Timer?.Dispose();
        round.Timer = _time.CreateTimer(_ => Run(() => FinishProbe(round, acked: false)), null,
            remaining > TimeSpan.Zero ? remaining : TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
    }

    private void FinishProbe(ProbeRound round, bool acked, IPEndPoint? from = null)
    {
        if (_round != round)
            return;
        _round = null;
        round.Timer?.Dispose();
        _acks.Remove(round.Sequence);
        // Only the target's own ack measures its round trip (a helper's includes the detour).
        if (acked && round.Target.Address.Equals(from))
            AckTimeout.Sample(round.Target, _time.GetElapsedTime(round.Start));
        if (acked)
        {
            // Lifeguard: a prompt direct ack is evidence we are healthy.
            if (!round.TimedOut)
                _awareness.ApplyDelta(-1);
            else
                Stats.ProbeRecovered();
        }
        else if (round.Starved || _time.GetElapsedTime(round.Start) - round.Interval > _awareness.Scale(_options.ProbeTimeout))
        {
            // The round ended far later than planned: our CPU, not the target, is the suspect.
            Stats.ProbeInconclusive();
            _awareness.ApplyDelta(1);
        }
        else
        {
            Stats.ProbeFailed();
            // Missing nacks mean our own packets or CPU are the problem, not only the target.
            _awareness.ApplyDelta(round.ExpectedNacks > 0 ? Math.Max(0, round.ExpectedNacks - round.Nacks) : 1);
            if (!round.Target.IsDeadOrLeft)
                SuspectNode(new Suspect(round.Target.Incarnation, round.Target.Name, _self.Name));
        }
        ScheduleNextProbe(round.Start);
    }

    private void StartStreamPing(ProbeRound round)
    {
        var request = StreamFrame.Encode(WireMessage.Encode(new Ping(round.Sequence, round.Target.Name)),
            _options.EnableCompression, _options.Keyring);
        _outboxStreams.Add((round.Target.Address, request, (received, failed) =>
        {
            if (failed)
                return OperationStatus.InvalidData;
            var status = StreamFrame.TryRead(received, _options.Keyring, out var message, out _);
            if (status == OperationStatus.Done && message!.Ack?.SeqNo == round.Sequence)
                Run(() => FinishProbe(round, acked: true));   // no round-trip sample: the TCP handshake is in it
            return status;
        }));
    }

    private void ScheduleNextProbe(long roundStart)
    {
        var next = _options.ProbeInterval - _time.GetElapsedTime(roundStart);
        _probeTimer?.Change(next > TimeSpan.Zero ? next : TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Round-robin over a shuffled list, reshuffled (and pruned of long-dead members) at each pass, as SWIM prescribes.</summary>
    private NodeState? NextProbeTarget()
    {
        for (var checkedCount = 0; checkedCount <= _probeOrder.Count; checkedCount++)
        {
            if (_probeIndex >= _probeOrder.Count)
            {
                ResetProbeOrder();
                _probeIndex = 0;
            }
            if (_probeOrder.Count == 0)
                return null;
            var candidate = _probeOrder[_probeIndex++];
            if (candidate != _self && !candidate.IsDeadOrLeft)
                return candidate;
        }
        return null;
    }

    private void ResetProbeOrder()
    {
        var now = _time.GetTimestamp();
        foreach (var node in _probeOrder.ToList())
        {
            if (node.IsDeadOrLeft && _time.GetElapsedTime(node.StateChange, now) > _options.GossipToTheDeadTime)
            {
                _probeOrder.Remove(node);
                Forget(node);
                if (node.State == MemberState.Dead && _options.ReconnectTimeout > TimeSpan.Zero)
                    _reaped[node.Name] = (node.Address, now);
            }
        }
        for (var i = _probeOrder.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (_probeOrder[i], _probeOrder[j]) = (_probeOrder[j], _probeOrder[i]);
        }
    }

    private void HandlePing(Ping ping, IPEndPoint from)
    {
        // A ping for another name means the sender's view is stale (we restarted under a new
        // name at an old address): stay silent so it fails over, as memberlist does.
        if (ping.Node.Length > 0 && ping.Node != _self.Name)
            return;
        Send(ReplyAddress(from, ping.SourceAddr, ping.SourcePort), new Ack(ping.SeqNo, []));
    }

    /// <summary>
    /// Lifeguard's buddy system (memberlist's probe does it too; we also do it for indirect
    /// pings): a ping to a member we suspect carries the suspicion, so the member reads it at once
    /// and refutes, instead of when gossip happens to reach it. A briefly starved member gets the
    /// whole suspicion timeout to answer. Null when we do not suspect <paramref name="name"/>.
    /// </summary>
    private Suspect? BuddyNote(string name) =>
        _nodes.TryGetValue(name, out var n) && n.State == MemberState.Suspect ? new Suspect(n.Incarnation, n.Name, _self.Name) : null;

    private void HandleIndirectPing(IndirectPing request, IPEndPoint from)
    {
        if (!TryEndPoint(request.Target, request.Port, out var target))
            return;
        var replyTo = ReplyAddress(from, request.SourceAddr, request.SourcePort);
        var sequence = NextSequence();
        var pending = new PendingAck
        {
            OnAck = _ => Send(replyTo, new Ack(request.SeqNo, [])),
        };
        _acks[sequence] = pending;
        Send(target, new Ping(sequence, request.Node), BuddyNote(request.Node));
        pending.Timer = _time.CreateTimer(_ => Run(() =>
        {
            if (_acks.Remove(sequence) && request.Nack)
                Send(replyTo, new Nack(request.SeqNo));
        }), null, _options.ProbeTimeout, Timeout.InfiniteTimeSpan);
    }

    private void HandleAck(Ack ack, IPEndPoint from)
    {
        if (!_acks.TryGetValue(ack.SeqNo, out var pending))
            return;
        _acks.Remove(ack.SeqNo);
        pending.Timer?.Dispose();
        pending.OnAck?.Invoke(from);
    }

    private void HandleNack(Nack nack)
    {
        if (_acks.TryGetValue(nack.SeqNo, out var pending))
            pending.OnNack?.Invoke();
    }

    private static IPEndPoint ReplyAddress(IPEndPoint from, byte[]? sourceAddr, ushort sourcePort) =>
        sourcePort != 0 && TryEndPoint(sourceAddr ?? [], sourcePort, out var source) ? source : from;

    internal static bool TryEndPoint(byte[] address, ushort port, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (address.Length is not (4 or 16) || port == 0)
            return false;
        var ip = new IPAddress(address);
        // Go's net.IP may carry an IPv4 address in its 16-byte form.
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4();
        endPoint = new IPEndPoint(ip, port);
        return true;
    }

    internal static byte[] AddressBytes(IPEndPoint endPoint) => endPoint.Address.GetAddressBytes();

    private sealed class ProbeRound(NodeState target, uint sequence, long start)
    {
        public NodeState Target { get; } = target;
        public uint Sequence { get; } = sequence;
        public long Start { get; } = start;
        public ITimer? Timer { get; set; }
        public bool TimedOut { get; set; }
        public TimeSpan Timeout { get; set; }
        public bool Starved { get; set; }
        public TimeSpan Interval { get; set; }
        public int ExpectedNacks { get; set; }
        public int Nacks { get; set; }
    }
}
