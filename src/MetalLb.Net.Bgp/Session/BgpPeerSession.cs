using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Rib;
using MetalLb.Net.Bgp.Wire;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Bgp.Session;

/// <summary>
/// The edge for one peer: a single loop owns the FSM, the Adj-RIB-Out and the connection, and
/// performs the FSM's actions. Sockets, connect tasks and the host post into its inbox, so
/// nothing else touches that state.
/// </summary>
internal sealed partial class BgpPeerSession : IAsyncDisposable
{
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TimeProvider _time;
    private readonly BgpFsmOptions _fsmOptions;
    private BgpFsm _fsm;
    private int _nextId;
    // A second connection from the peer while ours is in OpenSent/OpenConfirm: it runs its own
    // FSM until the peer's OPEN on it names the peer's BGP Identifier (RFC 4271 §6.8).
    private BgpFsm? _inboundFsm;
    private BgpConnection? _inbound;
    private int _inboundId = -1;
    private readonly AdjRibOut _rib = new();
    private readonly HashSet<NlriPrefix> _received = [];
    private readonly Action<BgpPeerStateChange> _onChange;
    private readonly Task _loop;
    private BgpConnection? _connection;
    private CancellationTokenSource? _connecting;
    private int _connectionId;
    private volatile BgpPeerStatus _status;
    private UpdateEncodingContext? _encoding;

    private sealed record ConnectionEvent(int Id, BgpEvent Event);
    private sealed record Connected(int Id, Socket? Socket);
    private sealed record Inbound(Socket Socket);
    private sealed record SetDesired(RouteSet Routes);
    private sealed record Stop(bool Graceful, byte CeaseSubcode, TaskCompletionSource Done);
    private sealed record Reachability(bool Reachable);

    private readonly Func<AddressFamily, Socket> _newSocket;
    private readonly ILogger _logger;

    public BgpPeerSession(string name, BgpPeerOptions options, bool restarting, TimeProvider time,
        Action<BgpPeerStateChange> onChange, Func<AddressFamily, Socket> newSocket, ILogger logger)
    {
        _newSocket = newSocket;
        _logger = logger;
        Name = name;
        Options = options;
        _time = time;
        _onChange = onChange;
        _fsmOptions = new BgpFsmOptions
        {
            LocalAs = options.LocalAs,
            PeerAs = options.PeerAs,
            RouterId = RouterIdFor(options),
            HoldTime = options.HoldTime,
            KeepaliveTime = options.KeepaliveTime,
            ConnectRetryMin = options.ConnectRetryMin,
            Passive = options.Passive,
            Families = options.Families,
            GracefulRestartTime = options.GracefulRestart ? options.GracefulRestartTime : null,
            Restarting = restarting && options.GracefulRestart,
        };
        _fsm = NewFsm();
        _status = new BgpPeerStatus(name, options.MetricLabel, BgpState.Idle, TransitionReason.ManualStart, default, 0, 0, 0, null);
        _loop = Task.Run(RunAsync);
    }

    private BgpFsm NewFsm() => new(_fsmOptions, Random.Shared.NextDouble) { ConnectTimeout = Options.ConnectTime };

    public string Name { get; }
    public BgpPeerOptions Options { get; }
    public BgpPeerStatus Status => _status;
    public long UpdatesSent { get; private set; }
    public long BytesSent { get; private set; }

    public void Advertise(RouteSet routes) => _inbox.Writer.TryWrite(new SetDesired(routes));

    /// <summary>BFD's verdict on the peer (RFC 5882): false takes the session down and holds it Idle until true.</summary>
    public void SetReachable(bool reachable) => _inbox.Writer.TryWrite(new Reachability(reachable));

    /// <summary>Hands over a connection the listener accepted from this peer's address.</summary>
    public void Accept(Socket socket)
    {
        if (!_inbox.Writer.TryWrite(new Inbound(socket)))
            socket.Dispose();
    }

    public async Task StopAsync(bool graceful, byte ceaseSubcode = 2)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_inbox.Writer.TryWrite(new Stop(graceful, ceaseSubcode, done)))
            await done.Task.ConfigureAwait(false);
        // The loop never faults (RunAsync catches), so this returns once it has ended, even
        // when it ended on its own before the Stop could be posted.
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync(graceful: false).ConfigureAwait(false);

    /// <summary>
    /// Upstream's rule: the configured router id, else our IPv4 address towards the peer, else an
    /// IPv4 address on the same interface, else a hash of the host name (never 0: RFC 4271 §6.2).
    /// </summary>
    private static uint RouterIdFor(BgpPeerOptions o)
    {
        var candidate = o.RouterId ?? (o.SourceAddress?.AddressFamily == AddressFamily.InterNetwork ? o.SourceAddress : null);
        if (candidate is null)
        {
            var local = o.SourceAddress ?? LocalAddresses.SourceTowards(o.PeerAddress);
            candidate = local?.AddressFamily == AddressFamily.InterNetwork ? local
                : local is null ? null : LocalAddresses.Sibling(local, AddressFamily.InterNetwork);
        }
        if (candidate is not null)
            return BinaryPrimitives.ReadUInt32BigEndian(candidate.MapToIPv4().GetAddressBytes());
        var hash = (uint)Environment.MachineName.Aggregate(17, (h, c) => h * 31 + c);
        return hash == 0 ? 1 : hash;
    }

    private void Post(int id, BgpEvent e) => _inbox.Writer.TryWrite(new ConnectionEvent(id, e));

    /// <summary>
    /// The session loop. An unexpected exception ends the session instead of leaving a loop
    /// that is gone behind a StopAsync that would wait forever: the connection is closed, the
    /// error logged, and every Stop already queued or queued later is answered at once.
    /// </summary>
    private async Task RunAsync()
    {
        try
        {
            await RunLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.SessionFaulted(_logger, Name, Options.PeerAddress.ToString(), e);
            CloseConnection();
            DropInbound();
            _inbox.Writer.TryComplete();
            while (_inbox.Reader.TryRead(out var rest))
            {
                (rest as Inbound)?.Socket.Dispose();
                (rest as Stop)?.Done.TrySetResult();
            }
        }
    }

    private async Task RunLoopAsync()
    {
        await ApplyAsync(_fsm.Handle(new BgpEvent.ManualStart(), _time.GetUtcNow())).ConfigureAwait(false);
        while (true)
        {
            var deadline = _inboundFsm?.NextDeadline is { } other && (_fsm.NextDeadline is null || other < _fsm.NextDeadline) ? other : _fsm.NextDeadline;
            var item = await NextAsync(deadline).ConfigureAwait(false);
            switch (item)
            {
                case null:
                    while (_fsm.NextDeadline <= _time.GetUtcNow())
                        await ApplyAsync(_fsm.Tick(_time.GetUtcNow())).ConfigureAwait(false);
                    while (_inboundFsm?.NextDeadline <= _time.GetUtcNow())
                        await ApplyInboundAsync(_inboundFsm!.Tick(_time.GetUtcNow())).ConfigureAwait(false);
                    break;
                case ConnectionEvent c when c.Id == _connectionId:
                    await ApplyAsync(_fsm.Handle(c.Event, _time.GetUtcNow())).ConfigureAwait(false);
                    if (_fsm.State == BgpState.OpenConfirm && _inboundFsm is not null)
                        await ResolveCollisionAsync(_fsm.Session!.PeerRouterId).ConfigureAwait(false);
                    break;
                case ConnectionEvent c when c.Id == _inboundId && _inboundFsm is not null:
                    await ApplyInboundAsync(_inboundFsm.Handle(c.Event, _time.GetUtcNow())).ConfigureAwait(false);
                    if (_inboundFsm?.State == BgpState.OpenConfirm)
                        await ResolveCollisionAsync(_inboundFsm.Session!.PeerRouterId).ConfigureAwait(false);
                    break;
                case Connected c:
                    await OnConnectedAsync(c).ConfigureAwait(false);
                    break;
                case Inbound i:
                    await OnInboundAsync(i.Socket).ConfigureAwait(false);
                    break;
                case SetDesired d:
                    _rib.SetDesired(d.Routes);
                    if (_fsm.State == BgpState.Established)
                        await SendChangesAsync(_rib.TakeChanges(_fsm.Session!.Families)).ConfigureAwait(false);
                    Publish();
                    break;
                case Reachability r:
                    await ApplyAsync(_fsm.Handle(r.Reachable ? new BgpEvent.BfdUp() : new BgpEvent.BfdDown(), _time.GetUtcNow())).ConfigureAwait(false);
                    break;
                case Stop s:
                    await ApplyAsync(_fsm.Handle(new BgpEvent.ManualStop(s.Graceful, s.CeaseSubcode), _time.GetUtcNow())).ConfigureAwait(false);
                    CloseConnection();
                    DropInbound();
                    _inbox.Writer.TryComplete();
                    s.Done.TrySetResult();
                    while (_inbox.Reader.TryRead(out var rest))
                        (rest as Inbound)?.Socket.Dispose();
                    return;
            }
        }
    }

    /// <summary>The next inbox item, or null when <paramref name="deadline"/> arrives first.</summary>
    private async Task<object?> NextAsync(DateTimeOffset? deadline)
    {
        if (_inbox.Reader.TryRead(out var item))
            return item;
        if (deadline is null)
            return await _inbox.Reader.ReadAsync().ConfigureAwait(false);
        var delay = deadline.Value - _time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
            return null;
        using var timeout = new CancellationTokenSource(delay, _time);
        try
        {
            return await _inbox.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
