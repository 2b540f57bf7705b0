using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Bfd;

public sealed partial class BfdEngine
{
    private async Task RunAsync(Func<AddressFamily, Socket> factory)
    {
        while (true)
        {
            var item = await NextAsync(NextDeadline()).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            switch (item)
            {
                case BfdDatagram d:
                    OnDatagram(d, now);
                    break;
                case (SetSession s, TaskCompletionSource done):
                    Set(s.Key, s.Options, factory, now);
                    done.TrySetResult();
                    break;
                case (RemoveSession r, TaskCompletionSource done):
                    Remove(r.Key, now);
                    done.TrySetResult();
                    break;
                case Stop s:
                    foreach (var key in _peers.Keys.ToList())
                        Remove(key, now);
                    s.Done.TrySetResult();
                    return;
                case null when _inbox.Reader.Completion.IsCompleted:
                    return;
            }
            now = _time.GetUtcNow();
            foreach (var peer in _peers.Values)
                while (peer.Fsm.NextDeadline <= now)
                    Apply(peer, peer.Fsm.Tick(now));
        }
    }

    private DateTimeOffset? NextDeadline()
    {
        DateTimeOffset? next = null;
        foreach (var peer in _peers.Values)
            if (peer.Fsm.NextDeadline is { } d && (next is null || d < next))
                next = d;
        return next;
    }

    /// <summary>The next inbox item, or null when <paramref name="deadline"/> arrives first (or the inbox is closed).</summary>
    private async Task<object?> NextAsync(DateTimeOffset? deadline)
    {
        if (_inbox.Reader.TryRead(out var item))
            return item;
        var delay = deadline is null ? Timeout.InfiniteTimeSpan : deadline.Value - _time.GetUtcNow();
        if (deadline is not null && delay <= TimeSpan.Zero)
            return null;
        using var timeout = deadline is null ? new CancellationTokenSource() : new CancellationTokenSource(delay, _time);
        try
        {
            return await _inbox.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    private void Set(string key, BfdSessionOptions options, Func<AddressFamily, Socket> factory, DateTimeOffset now)
    {
        if (_peers.TryGetValue(key, out var existing))
        {
            if (existing.Options == options)
                return;
            if (existing.Options.SamePath(options))
            {
                existing.Options = options;
                Apply(existing, existing.Fsm.SetOptions(options.ToFsmOptions(), now));
                WarnEcho(key, options);
                return;
            }
            Remove(key, now);
        }
        BfdPeer peer;
        try
        {
            peer = new BfdPeer(key, options, new BfdFsm(options.ToFsmOptions(), NewDiscriminator(), Random.Shared.NextDouble), factory);
        }
        catch (SocketException e)
        {
            BfdLog.OpenFailed(_logger, key, options.PeerAddress, e.Message);
            return;
        }
        _peers[key] = peer;
        _byDiscriminator[peer.Fsm.LocalDiscr] = peer;
        _snapshot[key] = peer;
        WarnEcho(key, options);
        Apply(peer, peer.Fsm.Start(now));
    }

    private void WarnEcho(string key, BfdSessionOptions options)
    {
        if (options.EchoMode)
            BfdLog.EchoNotImplemented(_logger, key, options.PeerAddress);
    }

    private void Remove(string key, DateTimeOffset now)
    {
        if (!_peers.Remove(key, out var peer))
            return;
        Apply(peer, peer.Fsm.AdminDown(now));
        _byDiscriminator.Remove(peer.Fsm.LocalDiscr);
        _snapshot.TryRemove(key, out _);
        peer.Dispose();
    }

    /// <summary>A random nonzero discriminator no other session here uses (RFC 5880 §6.3: unique per system, nonzero).</summary>
    private uint NewDiscriminator()
    {
        while (true)
        {
            var d = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
            if (!_byDiscriminator.ContainsKey(d))
                return d;
        }
    }

    private void OnDatagram(BfdDatagram d, DateTimeOffset now)
    {
        if (!BfdControlPacket.TryRead(d.Data, out var packet, out var error))
        {
            Drop(d.Source, (BfdDropReason)error);
            return;
        }
        var peer = Demultiplex(packet, d);
        if (peer is null)
        {
            Drop(d.Source, BfdDropReason.NoSession);
            return;
        }
        if (!SameAddress(peer.Options.PeerAddress, d.Source))
        {
            Drop(d.Source, BfdDropReason.WrongSource);
            return;
        }
        if (peer.Options.Multihop != d.Multihop)
        {
            Drop(d.Source, BfdDropReason.WrongPort);
            return;
        }
        // RFC 5881 §5 (GTSM): a single-hop packet must arrive with TTL 255, i.e. not forwarded.
        // RFC 5883 §5 leaves multihop to configuration: the profile's minimumTtl.
        if (peer.Options.Multihop ? d.Ttl < peer.Options.MinimumTtl : d.Ttl != 255)
        {
            Drop(d.Source, BfdDropReason.WrongTtl);
            return;
        }
        peer.ControlPacketInput++;
        peer.LastReceived = now;
        Apply(peer, peer.Fsm.Receive(packet, now));
    }

    /// <summary>
    /// RFC 5880 §6.8.6: by Your Discriminator when the peer knows ours; before that by the
    /// source address and hop mode (RFC 5881 §3, RFC 5883 §3), and our local address if set.
    /// </summary>
    private BfdPeer? Demultiplex(in BfdControlPacket packet, BfdDatagram d)
    {
        if (packet.YourDiscriminator != 0)
            return _byDiscriminator.GetValueOrDefault(packet.YourDiscriminator);
        foreach (var peer in _peers.Values)
            if (SameAddress(peer.Options.PeerAddress, d.Source) && peer.Options.Multihop == d.Multihop
                && (peer.Options.LocalAddress is null || d.Destination is null || SameAddress(peer.Options.LocalAddress, d.Destination)))
                return peer;
        return null;
    }

    /// <summary>Address equality without the IPv6 scope id (a configured fe80::1%eth0 is the fe80::1 that sent), IPv4-mapped folded.</summary>
    private static bool SameAddress(IPAddress a, IPAddress b)
    {
        a = a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
        b = b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b;
        return a.AddressFamily == b.AddressFamily && a.GetAddressBytes().AsSpan().SequenceEqual(b.GetAddressBytes());
    }

    private void Drop(IPAddress source, BfdDropReason reason)
    {
        _dropped.AddOrUpdate(reason, 1, (_, n) => n + 1);
        BfdLog.Dropped(_logger, source, reason);
    }

    private void Apply(BfdPeer peer, BfdStep step)
    {
        if (step.Send is { } packet && peer.Send(packet))
            PacketSent?.Invoke(peer.Key, _time.GetUtcNow());
        if (step.Changed)
        {
            if (step.To == BfdState.Up)
                peer.UpEvents++;
            else if (step.From == BfdState.Up)
                peer.DownEvents++;
            BfdLog.StateChanged(_logger, peer.Key, peer.Options.PeerAddress, step.To, step.From, step.Diagnostic, peer.Fsm.RemoteSessionState);
            peer.Snapshot();
            StateChanged?.Invoke(new BfdSessionStateChange(peer.Key, peer.Options.PeerAddress, step.From, step.To, step.Diagnostic, peer.Fsm.RemoteSessionState));
        }
        else
        {
            peer.Snapshot();
        }
    }
}
