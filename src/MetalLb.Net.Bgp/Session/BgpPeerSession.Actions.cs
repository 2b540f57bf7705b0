using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Rib;
using MetalLb.Net.Bgp.Wire;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Bgp.Session;

internal sealed partial class BgpPeerSession
{
    private async Task ApplyAsync(FsmStep step)
    {
        if (step.Changed)
        {
            var error = step.Actions.OfType<FsmAction.Send>().Select(s => s.Message).OfType<NotificationMessage>().FirstOrDefault()?.Error
                ?? step.Actions.OfType<FsmAction.SessionDown>().FirstOrDefault()?.Error ?? default;
            Publish(step.Reason, error);
            Log.SessionStateChanged(_logger, Name, Options.MetricLabel, step.State, step.From, step.Reason);
            if (step.From == BgpState.Established)
                Log.SessionDown(_logger, Name, Options.MetricLabel, step.Reason, error.Code, error.Subcode);
            _onChange(new BgpPeerStateChange(Name, step.From, step.State, step.Reason, error));
        }
        foreach (var action in step.Actions)
        {
            switch (action)
            {
                case FsmAction.Connect:
                    StartConnect();
                    break;
                case FsmAction.Send s:
                    await SendAsync([s.Message]).ConfigureAwait(false);
                    break;
                case FsmAction.CloseConnection:
                    CloseConnection();
                    break;
                case FsmAction.SessionEstablished e:
                    await OnEstablishedAsync(e.Session).ConfigureAwait(false);
                    break;
                case FsmAction.ResendRoutes r:
                    await SendChangesAsync(_rib.Refresh(r.Afi)).ConfigureAwait(false);
                    break;
                case FsmAction.RoutesReceived r:
                    if (r.Update.Action != UpdateErrorAction.None)
                        Log.MalformedUpdate(_logger, Name, Options.MetricLabel, r.Update.Action, string.Join("; ", r.Update.Problems));
                    foreach (var p in r.Update.Withdrawn)
                        _received.Remove(p);
                    foreach (var p in r.Update.Announced)
                        _received.Add(p);
                    break;
                case FsmAction.SessionDown:
                    _received.Clear();
                    _rib.ResetSession();
                    _encoding = null;
                    break;
            }
        }
        Publish();
    }

    private void Publish(TransitionReason? reason = null, BgpError error = default)
    {
        var s = _status;
        _status = s with
        {
            State = _fsm.State,
            LastReason = reason ?? s.LastReason,
            LastError = reason is null ? s.LastError : error,
            AnnouncedPrefixes = _fsm.State == BgpState.Established ? _rib.AnnouncedCount : 0,
            PendingPrefixes = _fsm.State == BgpState.Established ? _rib.PendingCount : _rib.Desired.Count,
            UpdatesSent = UpdatesSent,
            Session = _fsm.Session,
            ReceivedPrefixes = _received.Count,
        };
    }

    private async Task OnEstablishedAsync(NegotiatedSession session)
    {
        var local = _connection!.LocalEndPoint.Address;
        if (local.IsIPv4MappedToIPv6)
            local = local.MapToIPv4();
        // Next-hop self per family: our session address where the family matches, else an
        // address of that family on the same interface (FRR's behaviour for v6 over v4).
        var v4 = Options.NextHopIPv4 ?? (local.AddressFamily == AddressFamily.InterNetwork ? local : LocalAddresses.Sibling(local, AddressFamily.InterNetwork));
        var v6 = Options.NextHopIPv6 ?? (local.AddressFamily == AddressFamily.InterNetworkV6 ? local : LocalAddresses.Sibling(local, AddressFamily.InterNetworkV6));
        _encoding = new UpdateEncodingContext(Options.LocalAs, Options.IsInternal, session.FourOctetAs, v4, v6);
        _rib.ResetSession();
        var families = session.Families.Where(f => f == Afi.IPv4 ? v4 is not null : v6 is not null).ToList();
        await SendChangesAsync(_rib.TakeChanges(families)).ConfigureAwait(false);
        // RFC 4724 §4: End-of-RIB tells a graceful-restart peer our initial update is complete.
        if (session.PeerGracefulRestart is not null)
            await SendAsync([.. session.Families.Select(UpdateBuilder.EndOfRib)]).ConfigureAwait(false);
    }

    private async Task SendChangesAsync(RibChanges changes)
    {
        using var _ = changes;
        if (changes.IsEmpty || _encoding is null)
            return;
        if (_connection is not { } c)
            return;
        var updates = changes.Encode(_encoding);
        var before = c.BytesSent;
        if (!await c.SendAsync(updates).ConfigureAwait(false))
            Post(c.Id, new BgpEvent.TcpConnectionClosed());
        BytesSent += c.BytesSent - before;
        UpdatesSent += updates.Messages;
        Log.UpdatesSent(_logger, Name, Options.MetricLabel, updates.Messages, changes.AnnouncedCount, changes.WithdrawnCount);
    }

    private async Task SendAsync(IReadOnlyList<BgpMessage> messages)
    {
        if (_connection is not { } c)
            return;
        var before = c.BytesSent;
        if (!await c.SendAsync(messages).ConfigureAwait(false))
            Post(c.Id, new BgpEvent.TcpConnectionClosed());
        BytesSent += c.BytesSent - before;
    }

    private void CloseConnection()
    {
        // A fresh id: events still queued from the old connection no longer match.
        _connectionId = ++_nextId;
        _connecting?.Cancel();
        _connecting?.Dispose();
        _connecting = null;
        _connection?.Dispose();
        _connection = null;
    }

    private void StartConnect()
    {
        CloseConnection();
        var id = _connectionId;
        var cts = _connecting = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            var socket = await ConnectAsync(cts.Token).ConfigureAwait(false);
            if (!_inbox.Writer.TryWrite(new Connected(id, socket)))
                socket?.Dispose();
        });
    }

    private async Task<Socket?> ConnectAsync(CancellationToken cancel)
    {
        Socket socket;
        try
        {
            socket = _newSocket(Options.PeerAddress.AddressFamily);
        }
        catch (SocketException)
        {
            return null;
        }
        try
        {
            Prepare(socket);
            if (Options.SourceAddress is { } source)
                BindSource(socket, source);
            await socket.ConnectAsync(new IPEndPoint(Options.PeerAddress, Options.PeerPort), cancel).ConfigureAwait(false);
            return socket;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Binds the configured source address. Upstream's docs promise a fall-back to the kernel's
    /// choice when the address is not local, but its code fails the dial (docs/upstream-behaviour.md#bgp-native-engine);
    /// we do what the docs say, so a node without that address still peers.
    /// </summary>
    private static void BindSource(Socket socket, IPAddress source)
    {
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            // not on this node: let the kernel choose
        }
    }

    /// <summary>MD5 key, TTL and no-delay: the per-connection settings both directions share.</summary>
    private void Prepare(Socket socket)
    {
        if (!string.IsNullOrEmpty(Options.Password))
            TcpMd5.SetKey(socket, Options.PeerAddress, Options.Password);
        // eBGP peers are one hop away unless multihop is configured (RFC 4271 §5.1.3 is silent;
        // FRR and BIRD use TTL 1); iBGP keeps the kernel default.
        if (!Options.IsInternal)
            socket.Ttl = (short)(Options.EbgpMultihop ? 255 : 1);
        socket.NoDelay = true;
    }

    private async Task OnConnectedAsync(Connected c)
    {
        if (c.Id != _connectionId || _fsm.State != BgpState.Connect)
        {
            c.Socket?.Dispose();
            return;
        }
        _connecting?.Dispose();
        _connecting = null;
        if (c.Socket is null)
        {
            await ApplyAsync(_fsm.Handle(new BgpEvent.TcpConnectionFailed(), _time.GetUtcNow())).ConfigureAwait(false);
            return;
        }
        _connection = new BgpConnection(c.Socket, _connectionId, Post);
        await ApplyAsync(_fsm.Handle(new BgpEvent.TcpConnectionConfirmed(), _time.GetUtcNow())).ConfigureAwait(false);
    }
}
