using System.Net;
using MetalLb.Net.Gossip.Diagnostics;
using MetalLb.Net.Gossip.Swim;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetalLb.Net.Gossip.Transport;

/// <summary>
/// What the speaker host drives: a <see cref="Memberlist"/> on real UDP/TCP sockets. Create it
/// (binds), subscribe, <see cref="Start()"/>, join addresses (upstream joins every speaker pod IP),
/// watch <see cref="Members"/> and <see cref="MemberChanged"/>, and leave on shutdown.
/// The static <see cref="Start(MemberlistOptions, TimeProvider?, Action{MemberEvent}?, ILogger?)"/>
/// does the first three in one call.
/// </summary>
/// <remarks>
/// <see cref="LeaveAsync"/> and <see cref="DisposeAsync"/> may be called in any order, more than
/// once, and concurrently: the first leave is the one that counts, a dispose ends a leave that is
/// still waiting for its broadcast, and a leave after a dispose returns at once.
/// Membership changes are logged here (EventIds 14xx), not in the engine.
/// </remarks>
public sealed class GossipMember : IAsyncDisposable
{
    private readonly SocketTransport _transport;
    private readonly ILogger _logger;
    private Task? _leave;
    private int _started;
    private int _stopped;

    private GossipMember(SocketTransport transport, Memberlist memberlist, ILogger logger)
    {
        _transport = transport;
        _logger = logger;
        Memberlist = memberlist;
        memberlist.MemberChanged += LogChange;
    }

    public Memberlist Memberlist { get; }

    /// <summary>Where we listen (the advertised port, or the one picked for port 0).</summary>
    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

    public IReadOnlyList<Member> Members => Memberlist.Members;

    public event Action<MemberEvent>? MemberChanged
    {
        add => Memberlist.MemberChanged += value;
        remove => Memberlist.MemberChanged -= value;
    }

    /// <summary>
    /// Binds <paramref name="options"/>.Advertise (with port 0 the chosen port is advertised) but
    /// does not gossip yet: subscribe to <see cref="MemberChanged"/>, then <see cref="Start()"/>.
    /// </summary>
    public static GossipMember Create(MemberlistOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transport = SocketTransport.Bind(options.Advertise, options.TcpTimeout);
        var memberlist = new Memberlist(options with { Advertise = transport.LocalEndPoint }, transport, time ?? TimeProvider.System);
        return new GossipMember(transport, memberlist, logger ?? NullLogger.Instance);
    }

    /// <summary>
    /// Binds <paramref name="options"/>.Advertise and starts gossiping. With port 0 the chosen
    /// port is advertised. Subscribe to events through <paramref name="onEvent"/> to see the very first ones.
    /// </summary>
    public static GossipMember Start(MemberlistOptions options, TimeProvider? time = null, Action<MemberEvent>? onEvent = null, ILogger? logger = null)
    {
        var member = Create(options, time, logger);
        if (onEvent is not null)
            member.MemberChanged += onEvent;
        member.Start();
        return member;
    }

    /// <summary>Starts receiving and the probe, gossip and push-pull loops. A second call does nothing.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
            return;
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopped) != 0, this);
        Memberlist.Start();
        var options = Memberlist.Options;
        Log.Started(_logger, options.Name, LocalEndPoint, options.ProbeInterval, options.ProbeTimeout, options.GossipInterval, options.Keyring is not null);
    }

    public async Task<int> JoinAsync(IEnumerable<IPEndPoint> addresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var list = addresses.ToList();
        var answered = await Memberlist.JoinAsync(list, cancellationToken).ConfigureAwait(false);
        Log.JoinedCluster(_logger, Memberlist.Name, answered, list.Count);
        return answered;
    }

    /// <summary>Tells the others we leave (waiting up to <paramref name="timeout"/>), then stops.</summary>
    public async Task LeaveAsync(TimeSpan timeout)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _leave, mine.Task, null) is { } first)
        {
            await first.ConfigureAwait(false);
            return;
        }
        try
        {
            // A member that never started or already stopped has nobody to tell.
            if (Volatile.Read(ref _started) != 0 && Volatile.Read(ref _stopped) == 0)
            {
                Log.Leaving(_logger, Memberlist.Name);
                await Memberlist.LeaveAsync(timeout).ConfigureAwait(false);
            }
            await DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            mine.TrySetResult();
        }
    }

    /// <summary>Stops without a word: to the others this looks like a crash.</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _stopped, 1);
        Memberlist.Shutdown();
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    private void LogChange(MemberEvent e)
    {
        var m = e.Member;
        switch (e.Kind)
        {
            case MemberEventKind.Join: Log.MemberJoined(_logger, m.Name, m.Address, m.Incarnation); break;
            case MemberEventKind.Leave: Log.MemberLeft(_logger, m.Name, m.Address); break;
            case MemberEventKind.Fail: Log.MemberFailed(_logger, m.Name, m.Address); break;
            case MemberEventKind.Update: Log.MemberUpdated(_logger, m.Name, m.Address); break;
        }
    }
}
