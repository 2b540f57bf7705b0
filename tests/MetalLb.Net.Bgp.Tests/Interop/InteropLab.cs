using MetalLb.Net.Bgp.Session;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>
/// One interop test's lab: our namespace <see cref="Us"/> and the peer daemon's <see cref="Peer"/>
/// (unique names per test, from <see cref="NetLab"/>), and our speakers. Disposal stops our
/// speakers first, so none of them is still dialing while NetLab stops the daemons by PID and
/// deletes the namespaces.
/// </summary>
internal sealed class InteropLab : IAsyncDisposable
{
    /// <summary>How long any wait on a peer may take before the test fails (one value for every interop test).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly List<BgpSpeaker> _speakers = [];

    private InteropLab(NetLab net, bool link)
    {
        Net = net;
        Us = net.Namespace("s");
        Peer = net.Namespace("p");
        if (link)
            (UsDevice, _) = net.Link(Us, "192.0.2.1", "2001:db8::1", Peer, "192.0.2.2", "2001:db8::2");
    }

    public NetLab Net { get; }
    public string Us { get; }
    public string Peer { get; }

    /// <summary>Our end of the link <see cref="Create"/> made, for adding addresses; null without it.</summary>
    public string? UsDevice { get; }

    /// <summary>
    /// Us at 192.0.2.1 and 2001:db8::1, the peer at 192.0.2.2 and 2001:db8::2, on one link.
    /// <paramref name="tools"/> are checked first (<see cref="NetLab.Require"/>): missing, the
    /// test skips, and under CI=true fails.
    /// </summary>
    public static InteropLab Create(params string[] tools) => New(tools, link: true);

    /// <summary>The two namespaces without a link, for a test whose topology is what it is about.</summary>
    public static InteropLab CreateUnlinked(params string[] tools) => New(tools, link: false);

    /// <summary>
    /// The eBGP session most tests open: us (AS 65000, router id 192.0.2.1) to the peer (AS 65001)
    /// at 192.0.2.2. Tests add with <c>with { }</c> what they are about.
    /// </summary>
    public static BgpPeerOptions Ebgp => new()
    {
        PeerAddress = NetLab.Ip("192.0.2.2"), PeerAs = 65001, LocalAs = 65000, RouterId = NetLab.Ip("192.0.2.1"),
    };

    /// <summary>
    /// Our speaker with its sockets in <paramref name="ns"/> (<see cref="Us"/> by default), disposed
    /// with the lab. A wait that times out then prints every lab speaker's view of
    /// <paramref name="peerName"/> and <paramref name="describePeer"/>.
    /// </summary>
    public BgpSpeaker OurSpeaker(string peerName, Func<string> describePeer, bool restarting = false, int? listenPort = null, string? ns = null)
    {
        // In-process, with every socket made on a thread inside the namespace (NetnsThread).
        var thread = Net.Thread(ns ?? Us);
        var speaker = new BgpSpeaker(new BgpSpeakerOptions { SocketFactory = thread.NewSocket, Restarting = restarting, ListenPort = listenPort }, TimeProvider.System);
        _speakers.Add(speaker);
        // Set here, in a method that is not async: an AsyncLocal set inside an async method
        // would not flow back to the test.
        Eventually.Diagnostics.Value = () => string.Join("\n", _speakers.Select(s => $"{s.GetPeer(peerName)}")) + $"\n{describePeer()}";
        return speaker;
    }

    public static Dictionary<NlriPrefix, AdvertisedAttributes> Routes(params (string Prefix, AdvertisedAttributes Attributes)[] routes) =>
        routes.ToDictionary(r => NlriPrefix.Parse(r.Prefix), r => r.Attributes);

    public static AdvertisedAttributes Attrs(uint? localPref = null, string[]? communities = null, string[]? large = null) =>
        new(localPref, null, communities?.Select(AdvertisedAttributes.ParseCommunity), large?.Select(LargeCommunity.Parse));

    /// <summary>Stops <paramref name="speaker"/> without NOTIFICATION, as a restarting speaker does (RFC 4724 §4).</summary>
    public async Task StopGracefullyAsync(BgpSpeaker speaker)
    {
        // Out of the list first: a disposed speaker cannot be stopped again at the lab's end.
        _speakers.Remove(speaker);
        await speaker.StopAsync(graceful: true);
        await speaker.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var speaker in _speakers)
                await speaker.DisposeAsync();
        }
        finally
        {
            Net.Dispose();
        }
    }

    private static InteropLab New(string[] tools, bool link)
    {
        NetLab.Require(tools);
        var net = new NetLab();
        try
        {
            return new InteropLab(net, link);
        }
        catch
        {
            // No test holds the lab yet to dispose it: delete what was made so far.
            net.Dispose();
            throw;
        }
    }
}
