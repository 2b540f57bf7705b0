using System.Buffers;
using System.Net;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Swim;

// Dissemination: piggybacked broadcasts every gossip interval to a few random members (recently
// dead ones too, so they can refute), and periodic full-state push-pull over a stream.
public sealed partial class Memberlist
{
    private void Gossip()
    {
        // Nothing to say (the steady state): no packets, and no member picking either.
        if (_broadcasts.Count == 0)
            return;
        var now = _time.GetTimestamp();
        var targets = RandomMembers(_options.GossipNodes, n => !n.IsDeadOrLeft
            || (n.State == MemberState.Dead && _time.GetElapsedTime(n.StateChange, now) < _options.GossipToTheDeadTime));
        var limit = _options.UdpBufferSize - CompoundMessage.HeaderOverhead - (_options.Keyring is null ? 0 : Encryption.Overhead);
        foreach (var target in targets)
        {
            var messages = _broadcasts.Take(CompoundMessage.PerMessageOverhead, limit, _nodes.Count);
            if (messages.Count == 0)
                return;
            SendRaw(target.Address, messages);
        }
    }

    private void SchedulePushPull()
    {
        // Zero turns periodic push-pull off, as in memberlist.
        if (_options.PushPullInterval <= TimeSpan.Zero)
            return;
        // memberlist slows push-pull down in clusters above 32 members: ceil(log2(n) - log2(32)) + 1 times.
        var n = _nodes.Count;
        var scale = n <= 32 ? 1 : (int)Math.Ceiling(Math.Log2(n) - Math.Log2(32)) + 1;
        var interval = _options.PushPullInterval * scale;
        _pushPullTimer?.Dispose();
        _pushPullTimer = _time.CreateTimer(_ => Run(() =>
        {
            PeriodicPushPull();
            SchedulePushPull();
        }), null, Jitter(interval) + interval / 2, Timeout.InfiniteTimeSpan);
    }

    private void PeriodicPushPull()
    {
        var peer = _nodes.Values.Where(n => n != _self && n.State == MemberState.Alive).OrderBy(_ => _random.Next()).FirstOrDefault();
        if (peer is not null)
            StartPushPull(peer.Address, join: false, completed: null);
    }

    /// <summary>
    /// Push-pull with one member we believe dead, so a healed partition finds its way back: one
    /// we still hold dead, or one reaped from the member list after GossipToTheDeadTime (for up
    /// to ReconnectTimeout). Without the reaped ones a partition longer than GossipToTheDeadTime
    /// would heal only when the host joins again.
    /// </summary>
    private void Reconnect()
    {
        var now = _time.GetTimestamp();
        foreach (var (name, (_, since)) in _reaped.ToList())
            if (_nodes.ContainsKey(name) || _time.GetElapsedTime(since, now) > _options.ReconnectTimeout)
                _reaped.Remove(name);
        var candidates = _nodes.Values.Where(n => n.State == MemberState.Dead).Select(n => n.Address)
            .Concat(_reaped.Values.Select(r => r.Address)).ToList();
        if (candidates.Count > 0)
            StartPushPull(candidates[_random.Next(candidates.Count)], join: false, completed: null);
    }

    private void StartPushPull(IPEndPoint peer, bool join, Action<bool>? completed)
    {
        var request = EncodeLocalState(join);
        _outboxStreams.Add((peer, request, (received, failed) =>
        {
            if (failed)
            {
                completed?.Invoke(false);
                return OperationStatus.InvalidData;
            }
            var status = StreamFrame.TryRead(received, _options.Keyring, out var message, out var error);
            if (status == OperationStatus.NeedMoreData)
                return status;
            var ok = status == OperationStatus.Done && message!.Type == MessageType.PushPull;
            if (ok)
                Run(() => MergeState(message!.States!));
            else
                Stats.Drop(error == PacketError.None ? PacketError.UnknownType : error);
            completed?.Invoke(ok);
            return status;
        }));
    }

    private byte[] EncodeLocalState(bool join)
    {
        var states = LocalState();
        var plain = StreamFrame.EncodePushPull(new PushPullHeader(states.Count, 0, join), states);
        return StreamFrame.Encode(plain, _options.EnableCompression, _options.Keyring);
    }

    /// <summary>
    /// Joins the cluster through any of <paramref name="seeds"/> with a push-pull state exchange
    /// each (memberlist's Join). Returns how many answered.
    /// </summary>
    public async Task<int> JoinAsync(IEnumerable<IPEndPoint> seeds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var attempts = new List<Task<bool>>();
        Run(() =>
        {
            foreach (var seed in seeds)
            {
                if (seed.Equals(_self.Address))
                    continue;
                var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                attempts.Add(done.Task);
                StartPushPull(seed, join: true, ok => done.TrySetResult(ok));
            }
        });
        var results = await Task.WhenAll(attempts).WaitAsync(cancellationToken).ConfigureAwait(false);
        return results.Count(ok => ok);
    }

    /// <summary>
    /// Starts a graceful leave: broadcasts that we left (a dead message from ourselves, as
    /// memberlist does) and stops refuting. <see cref="LeaveAsync"/> also waits for it to go out.
    /// </summary>
    /// <remarks>Safe to call again and after <see cref="Shutdown"/>: it returns the first leave's task, or a finished one.</remarks>
    public Task Leave()
    {
        lock (_gate)
        {
            if (_leaveSent is not null)
                return _leaveSent.Task;
            _leaveSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_shutdown)
            {
                // Nothing left to tell anyone with: a stopped member's leave is over.
                _leaveSent.TrySetResult();
                return _leaveSent.Task;
            }
        }
        var sent = _leaveSent;
        Run(() =>
        {
            _leaving = true;
            var others = _nodes.Values.Any(n => n != _self && !n.IsDeadOrLeft);
            DeadNode(new Dead(_self.Incarnation, _self.Name, _self.Name), () => sent.TrySetResult());
            if (!others)
                sent.TrySetResult();
        });
        return sent.Task;
    }

    /// <summary>Leaves and waits (up to <paramref name="timeout"/>) until the leave has been gossiped, then shuts down.</summary>
    public async Task LeaveAsync(TimeSpan timeout)
    {
        var sent = Leave();
        try
        {
            await sent.WaitAsync(timeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // As memberlist: a leave that could not be confirmed in time still ends in shutdown.
        }
        Shutdown();
    }
}
