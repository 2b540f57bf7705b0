using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>
/// One BFD session in asynchronous mode (RFC 5880 §6.8), pure: packets and the current time go
/// in, the new state and a packet to send come out. Timers are deadlines the edge reads from
/// <see cref="NextDeadline"/> and reports back through <see cref="Tick"/>. Demand mode and the
/// echo function are not implemented, so Required Min Echo RX Interval is always zero.
/// Variable names follow §6.8.1.
/// </summary>
public sealed partial class BfdFsm
{
    /// <summary>§6.8.3: while the session is not Up, send no faster than once a second.</summary>
    public static readonly TimeSpan SlowTxInterval = TimeSpan.FromSeconds(1);

    private readonly Func<double>? _jitter;
    private BfdFsmOptions _options;
    // The intervals the timers use. They lag the advertised values during a poll sequence when
    // the change would otherwise make the peer declare us down (§6.8.3).
    private TimeSpan _txInEffect;
    private TimeSpan _rxInEffect;
    private bool _pollActive;
    private DateTimeOffset? _nextTxAt;
    private DateTimeOffset? _detectAt;

    /// <param name="jitter">0..1 random source for the §6.8.7 jitter; null = none (tests).</param>
    public BfdFsm(BfdFsmOptions options, uint localDiscr, Func<double>? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfZero(localDiscr);
        Validate(options);
        _options = options;
        LocalDiscr = localDiscr;
        _jitter = jitter;
        _txInEffect = AdvertisedTx;
        _rxInEffect = options.RequiredMinRxInterval;
    }

    public BfdFsmOptions Options => _options;
    public BfdState SessionState { get; private set; } = BfdState.Down;
    public BfdState RemoteSessionState { get; private set; } = BfdState.Down;
    public uint LocalDiscr { get; }
    public uint RemoteDiscr { get; private set; }
    public BfdDiagnostic LocalDiag { get; private set; }
    /// <summary>The diagnostic the peer last sent.</summary>
    public BfdDiagnostic RemoteDiag { get; private set; }
    /// <value>1 µs until the peer says otherwise (§6.8.1).</value>
    public TimeSpan RemoteMinRxInterval { get; private set; } = TimeSpan.FromTicks(10);
    public TimeSpan RemoteDesiredMinTxInterval { get; private set; }
    public byte RemoteDetectMult { get; private set; }
    public bool PollActive => _pollActive;

    /// <summary>What we advertise as Desired Min TX: the configured value once Up, at least a second before (§6.8.3).</summary>
    public TimeSpan AdvertisedTx => SessionState == BfdState.Up ? _options.DesiredMinTxInterval : Max(_options.DesiredMinTxInterval, SlowTxInterval);

    /// <summary>The agreed transmit interval (§6.8.7): our Desired Min TX, or slower if the peer asks.</summary>
    public TimeSpan TransmitInterval => Max(_txInEffect, RemoteMinRxInterval);

    /// <summary>§6.8.4 asynchronous mode: the peer's multiplier times the agreed interval it sends at.</summary>
    public TimeSpan DetectionTime => RemoteDetectMult * Max(_rxInEffect, RemoteDesiredMinTxInterval);

    /// <summary>§6.8.7: a passive system (§6.1) waits for the peer; nobody sends to a peer that asks for no packets.</summary>
    public bool CanTransmit => !(_options.Passive && RemoteDiscr == 0) && RemoteMinRxInterval > TimeSpan.Zero;

    public DateTimeOffset? NextDeadline => _detectAt is { } d && (_nextTxAt is null || d < _nextTxAt) ? d : _nextTxAt;

    /// <summary>Begins transmitting (unless passive): the first packet goes at once.</summary>
    public BfdStep Start(DateTimeOffset now) => Stay(SendIfAllowed(now, final: false));

    /// <summary>A packet for this session that passed the decoder's and the edge's checks (§6.8.6 from "set bfd.RemoteDiscr" on).</summary>
    public BfdStep Receive(in BfdControlPacket packet, DateTimeOffset now)
    {
        RemoteDiscr = packet.MyDiscriminator;
        RemoteSessionState = packet.State;
        RemoteDiag = packet.Diagnostic;
        RemoteDetectMult = packet.DetectMult;
        RemoteDesiredMinTxInterval = FromMicroseconds(packet.DesiredMinTxInterval);
        var remoteRx = FromMicroseconds(packet.RequiredMinRxInterval);
        var fasterTx = remoteRx < RemoteMinRxInterval;
        RemoteMinRxInterval = remoteRx;
        if (packet.Final && _pollActive)
            EndPoll();
        _detectAt = now + DetectionTime;
        if (SessionState == BfdState.AdminDown)
            return Stay(null);

        var from = SessionState;
        var next = (SessionState, packet.State) switch
        {
            (BfdState.Down, _) when packet.State == BfdState.AdminDown => BfdState.Down,
            (_, BfdState.AdminDown) => GoDown(BfdDiagnostic.NeighborSignaledSessionDown),
            (BfdState.Down, BfdState.Down) => BfdState.Init,
            (BfdState.Down, BfdState.Init) => GoUp(),
            (BfdState.Init, BfdState.Init or BfdState.Up) => GoUp(),
            (BfdState.Up, BfdState.Down) => GoDown(BfdDiagnostic.NeighborSignaledSessionDown),
            _ => SessionState,
        };
        SessionState = next;
        if (next == BfdState.Up && from != BfdState.Up)
            OnUp();
        else if (from == BfdState.Up && next != BfdState.Up)
            OnLeftUp();

        // §6.8.6: a Poll is answered at once, without regard to the transmit timer; a state
        // change is sent at once too, which is what lets the three-way handshake finish in one
        // round trip instead of a slow-start second.
        var answer = packet.Poll || next != from || (_nextTxAt is null && CanTransmit);
        if (answer)
            return new BfdStep(from, next, LocalDiag, SendIfAllowed(now, final: packet.Poll));
        if (fasterTx && _nextTxAt > now + TransmitInterval)
            _nextTxAt = now + Jittered(TransmitInterval);   // §6.8.3: the peer now wants packets sooner
        return new BfdStep(from, next, LocalDiag, null);
    }

    /// <summary>Fires whatever is due: detection first (it changes what we send), else the periodic packet.</summary>
    public BfdStep Tick(DateTimeOffset now)
    {
        if (_detectAt <= now)
        {
            _detectAt = null;
            // §6.8.1: a Detection Time without a packet forgets the peer's discriminator.
            RemoteDiscr = 0;
            RemoteSessionState = BfdState.Down;
            var from = SessionState;
            if (SessionState is BfdState.Init or BfdState.Up)
            {
                SessionState = GoDown(BfdDiagnostic.ControlDetectionTimeExpired);
                if (from == BfdState.Up)
                    OnLeftUp();
                return new BfdStep(from, SessionState, LocalDiag, SendIfAllowed(now, final: false));
            }
            if (!CanTransmit)
                _nextTxAt = null;   // a passive system goes quiet again
            return Stay(null);
        }
        if (_nextTxAt <= now)
            return Stay(SendIfAllowed(now, final: false));
        return Stay(null);
    }

    /// <summary>
    /// New timer parameters. While Up they take effect through a poll sequence (§6.8.3): a
    /// slower transmit rate or a faster receive rate waits for the peer's Final.
    /// </summary>
    public BfdStep SetOptions(BfdFsmOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        if (options == _options)
            return Stay(null);
        var passiveChanged = options.Passive != _options.Passive;
        _options = options;
        if (SessionState != BfdState.Up)
        {
            EndPoll();
            return passiveChanged || _nextTxAt is null ? Stay(SendIfAllowed(now, final: false)) : Stay(null);
        }
        if (AdvertisedTx < _txInEffect)
            _txInEffect = AdvertisedTx;
        if (options.RequiredMinRxInterval > _rxInEffect)
            _rxInEffect = options.RequiredMinRxInterval;
        _pollActive = true;
        return Stay(SendIfAllowed(now, final: false));
    }

    /// <summary>Administratively down (§6.8.16): the peer is told, and must not take it as a failure (RFC 5882 §3.2).</summary>
    public BfdStep AdminDown(DateTimeOffset now)
    {
        var from = SessionState;
        if (from == BfdState.AdminDown)
            return Stay(null);
        SessionState = BfdState.AdminDown;
        LocalDiag = BfdDiagnostic.AdministrativelyDown;
        if (from == BfdState.Up)
            OnLeftUp();
        _detectAt = null;
        return new BfdStep(from, SessionState, LocalDiag, SendIfAllowed(now, final: false));
    }

    /// <summary>Leaves AdminDown (§6.8.16): Down, then the normal handshake.</summary>
    public BfdStep AdminUp(DateTimeOffset now)
    {
        if (SessionState != BfdState.AdminDown)
            return Stay(null);
        SessionState = BfdState.Down;
        LocalDiag = BfdDiagnostic.None;
        return new BfdStep(BfdState.AdminDown, BfdState.Down, LocalDiag, SendIfAllowed(now, final: false));
    }

    /// <summary>The packet we would send now (§6.8.7); P and F are never both set.</summary>
    public BfdControlPacket CreatePacket(bool final) => new()
    {
        Diagnostic = LocalDiag,
        State = SessionState,
        Poll = _pollActive && !final,
        Final = final,
        DetectMult = _options.DetectMult,
        MyDiscriminator = LocalDiscr,
        YourDiscriminator = RemoteDiscr,
        DesiredMinTxInterval = ToMicroseconds(AdvertisedTx),
        RequiredMinRxInterval = ToMicroseconds(_options.RequiredMinRxInterval),
        RequiredMinEchoRxInterval = 0,
    };
}
