using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Fsm;

/// <summary>
/// The RFC 4271 §8 state machine for one TCP connection to one peer. Pure: events and the
/// current time go in, the next state, a reason and the actions come out. Timers are deadlines
/// the edge reads from <see cref="NextDeadline"/> and reports back through <see cref="Tick"/>.
/// </summary>
public sealed partial class BgpFsm
{
    private readonly Func<double>? _jitter;
    private bool _started;
    // BFD said the peer is down: no dialing and no accepting until it is up (RFC 5882 §4.3).
    private bool _bfdDown;
    private TimeSpan _backoff;
    private DateTimeOffset? _connectRetryAt;
    private DateTimeOffset? _holdAt;
    private DateTimeOffset? _keepaliveAt;

    /// <param name="jitter">0..1 random source for RFC 4271 §10 jitter (75–100% of each interval); null = none.</param>
    public BgpFsm(BgpFsmOptions options, Func<double>? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.HoldTime != TimeSpan.Zero && options.HoldTime < TimeSpan.FromSeconds(3))
            throw new ArgumentOutOfRangeException(nameof(options), "hold time must be 0 or at least 3 seconds (RFC 4271 §4.2)");
        Options = options;
        _jitter = jitter;
        _backoff = options.ConnectRetryMin;
    }

    public BgpFsmOptions Options { get; }
    public BgpState State { get; private set; } = BgpState.Idle;
    /// <summary>What the OPENs agreed on; set from OpenConfirm on.</summary>
    public NegotiatedSession? Session { get; private set; }
    /// <summary>Failed attempts since the last Established (RFC 4271 §8 ConnectRetryCounter).</summary>
    public int ConnectRetryCounter { get; private set; }
    /// <value>10 seconds: how long a dial plus the OPEN exchange may take (upstream's native deadline).</value>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public DateTimeOffset? NextDeadline =>
        new[] { _connectRetryAt, _holdAt, _keepaliveAt }.Where(d => d.HasValue).Min();

    public FsmStep Handle(BgpEvent e, DateTimeOffset now) => (State, e) switch
    {
        (_, BgpEvent.BfdDown) => OnBfdDown(),
        (BgpState.Idle, BgpEvent.BfdUp) when _bfdDown => OnBfdUp(now),
        (_, BgpEvent.BfdUp) => Stay(TransitionReason.Ignored),
        (_, BgpEvent.TcpConnectionAccepted) when _bfdDown => Stay(TransitionReason.BfdDown, new FsmAction.CloseConnection()),
        (BgpState.Idle, BgpEvent.ManualStart) when _bfdDown => Stay(TransitionReason.BfdDown),
        (BgpState.Idle, BgpEvent.ManualStart) => Start(now),
        // A second connection from the peer gets its own FSM, started by the accept (§6.8).
        (BgpState.Idle, BgpEvent.TcpConnectionAccepted) => Accept(now),
        (_, BgpEvent.ManualStart) => Stay(TransitionReason.Ignored),
        (_, BgpEvent.ManualStop s) => Stop(s.Graceful, new BgpError(BgpErrorCode.Cease, s.CeaseSubcode)),
        (BgpState.Connect or BgpState.Active, BgpEvent.TcpConnectionConfirmed) => SendOpen(now, TransitionReason.TcpConnectionConfirmed),
        (BgpState.Connect or BgpState.Active, BgpEvent.TcpConnectionAccepted) => SendOpen(now, TransitionReason.TcpConnectionAccepted),
        (BgpState.Connect, BgpEvent.TcpConnectionFailed) => Fail(now, TransitionReason.TcpConnectionFailed, default, close: false),
        (BgpState.Idle, _) => Stay(TransitionReason.Ignored),
        (_, BgpEvent.TcpConnectionClosed) => Fail(now, TransitionReason.TcpConnectionClosed, default, close: false),
        (_, BgpEvent.DecodeFailed d) => Fail(now, TransitionReason.DecodeError, d.Error),
        (_, BgpEvent.CollisionLost) => Lose(),
        (_, BgpEvent.MessageReceived m) => OnMessage(m.Message, now),
        _ => Stay(TransitionReason.Ignored),
    };

    /// <summary>Fires the timer that is due, if any (hold first: it ends the session).</summary>
    public FsmStep Tick(DateTimeOffset now)
    {
        if (_holdAt <= now)
            return Fail(now, TransitionReason.HoldTimerExpired, BgpError.HoldTimerExpired);
        if (_keepaliveAt <= now)
        {
            _keepaliveAt = now + Jittered(Session!.KeepaliveTime);
            return Stay(TransitionReason.KeepaliveTimerExpired, new FsmAction.Send(KeepaliveMessage.Instance));
        }
        if (_connectRetryAt <= now)
        {
            _connectRetryAt = null;
            if (State == BgpState.Idle)
                return Dial(now, TransitionReason.ConnectRetryTimerExpired);
            // A dial or OPEN exchange that took too long: drop it and retry later (§8.2.2 Connect state).
            return Fail(now, TransitionReason.ConnectRetryTimerExpired, default);
        }
        return Stay(TransitionReason.Ignored);
    }

    private FsmStep Start(DateTimeOffset now)
    {
        _started = true;
        return Dial(now, TransitionReason.ManualStart);
    }

    private FsmStep Accept(DateTimeOffset now)
    {
        _started = true;
        return SendOpen(now, TransitionReason.TcpConnectionAccepted);
    }

    private FsmStep Dial(DateTimeOffset now, TransitionReason reason)
    {
        if (Options.Passive)
            return Move(BgpState.Active, reason);
        _connectRetryAt = now + ConnectTimeout;
        return Move(BgpState.Connect, reason, new FsmAction.Connect());
    }

    private FsmStep SendOpen(DateTimeOffset now, TransitionReason reason)
    {
        _connectRetryAt = now + ConnectTimeout;
        _holdAt = now + Options.LargeHoldTime;
        return Move(BgpState.OpenSent, reason, new FsmAction.Send(CreateOpen()));
    }

    private FsmStep Stop(bool graceful, BgpError cease)
    {
        _started = false;
        var actions = new List<FsmAction>();
        if (!graceful && State is BgpState.OpenSent or BgpState.OpenConfirm or BgpState.Established)
            actions.Add(new FsmAction.Send(new NotificationMessage(cease)));
        if (State != BgpState.Idle)
            actions.Add(new FsmAction.CloseConnection());
        if (State == BgpState.Established)
            actions.Add(new FsmAction.SessionDown(TransitionReason.ManualStop, graceful ? default : cease));
        ClearTimers();
        _backoff = Options.ConnectRetryMin;
        return Move(BgpState.Idle, TransitionReason.ManualStop, [.. actions]);
    }

    /// <summary>
    /// RFC 5882 §4.3: BFD Down takes the session down at once (Cease, subcode 10 "BFD Down",
    /// RFC 9384, if the peer may still hear us) and keeps it Idle, neither dialing nor
    /// accepting, until BFD is up again.
    /// </summary>
    private FsmStep OnBfdDown()
    {
        _bfdDown = true;
        var step = Stop(graceful: false, new BgpError(BgpErrorCode.Cease, 10));
        return step with { Reason = TransitionReason.BfdDown, Actions = [.. step.Actions.Select(a => a is FsmAction.SessionDown d ? d with { Reason = TransitionReason.BfdDown } : a)] };
    }

    private FsmStep OnBfdUp(DateTimeOffset now)
    {
        _bfdDown = false;
        _started = true;
        return Dial(now, TransitionReason.BfdUp);
    }

    private FsmStep Lose()
    {
        _started = false;
        ClearTimers();
        return Move(BgpState.Idle, TransitionReason.CollisionResolution,
            new FsmAction.Send(new NotificationMessage(BgpError.CeaseConnectionCollisionResolution)), new FsmAction.CloseConnection());
    }

    /// <summary>Leave the session: NOTIFICATION if there is one to send, close, and retry with backoff.</summary>
    private FsmStep Fail(DateTimeOffset now, TransitionReason reason, BgpError error, bool close = true)
    {
        var actions = new List<FsmAction>();
        if (error.IsError && State is BgpState.OpenSent or BgpState.OpenConfirm or BgpState.Established)
            actions.Add(new FsmAction.Send(new NotificationMessage(error)));
        if (close || State is BgpState.OpenSent or BgpState.OpenConfirm or BgpState.Established)
            actions.Add(new FsmAction.CloseConnection());
        if (State == BgpState.Established)
            actions.Add(new FsmAction.SessionDown(reason, error));
        ClearTimers();
        Session = null;
        ConnectRetryCounter++;
        if (_started)
        {
            _connectRetryAt = now + Jittered(_backoff);
            _backoff = _backoff * 2 > Options.ConnectRetryMax ? Options.ConnectRetryMax : _backoff * 2;
        }
        return Move(BgpState.Idle, reason, [.. actions]);
    }

    private void ClearTimers() => _connectRetryAt = _holdAt = _keepaliveAt = null;

    private TimeSpan Jittered(TimeSpan interval) =>
        _jitter is null ? interval : interval * (0.75 + 0.25 * _jitter());

    private FsmStep Move(BgpState next, TransitionReason reason, params FsmAction[] actions)
    {
        var from = State;
        State = next;
        return new FsmStep(from, next, reason, actions);
    }

    private FsmStep Stay(TransitionReason reason, params FsmAction[] actions) => new(State, State, reason, actions);
}
