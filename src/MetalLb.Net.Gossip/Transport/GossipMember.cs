using System.Net;
using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Transport;

/// <summary>
/// What the speaker host drives: a <see cref="Memberlist"/> on real UDP/TCP sockets. Start it,
/// join addresses (upstream joins every speaker pod IP), watch <see cref="Members"/> and
/// <see cref="MemberChanged"/>, and leave on shutdown.
/// </summary>
public sealed class GossipMember : IAsyncDisposable
{
    private readonly SocketTransport _transport;

    private GossipMember(SocketTransport transport, Memberlist memberlist)
    {
        _transport = transport;
        Memberlist = memberlist;
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
    /// Binds <paramref name="options"/>.Advertise and starts gossiping. With port 0 the chosen
    /// port is advertised. Subscribe to events through <paramref name="onEvent"/> to see the very first ones.
    /// </summary>
    public static GossipMember Start(MemberlistOptions options, TimeProvider? time = null, Action<MemberEvent>? onEvent = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transport = SocketTransport.Bind(options.Advertise, options.TcpTimeout);
        var memberlist = new Memberlist(options with { Advertise = transport.LocalEndPoint }, transport, time ?? TimeProvider.System);
        if (onEvent is not null)
            memberlist.MemberChanged += onEvent;
        memberlist.Start();
        return new GossipMember(transport, memberlist);
    }

    public Task<int> JoinAsync(IEnumerable<IPEndPoint> addresses, CancellationToken cancellationToken = default) =>
        Memberlist.JoinAsync(addresses, cancellationToken);

    /// <summary>Tells the others we leave (waiting up to <paramref name="timeout"/>), then stops.</summary>
    public async Task LeaveAsync(TimeSpan timeout)
    {
        await Memberlist.LeaveAsync(timeout).ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops without a word: to the others this looks like a crash.</summary>
    public async ValueTask DisposeAsync()
    {
        Memberlist.Shutdown();
        await _transport.DisposeAsync().ConfigureAwait(false);
    }
}
