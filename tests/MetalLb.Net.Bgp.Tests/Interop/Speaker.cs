using MetalLb.Net.Bgp.Session;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>Our speaker, in-process, with its sockets in a test namespace.</summary>
internal static class Speaker
{
    public static BgpSpeaker In(NetLab lab, string ns, bool restarting = false, int? listenPort = null)
    {
        var thread = lab.Thread(ns);
        return new BgpSpeaker(new BgpSpeakerOptions { SocketFactory = thread.NewSocket, Restarting = restarting, ListenPort = listenPort }, TimeProvider.System);
    }

    public static Dictionary<IpPrefix, AdvertisedAttributes> Routes(params (string Prefix, AdvertisedAttributes Attributes)[] routes) =>
        routes.ToDictionary(r => IpPrefix.Parse(r.Prefix), r => r.Attributes);

    public static AdvertisedAttributes Attrs(uint? localPref = null, string[]? communities = null, string[]? large = null) =>
        new(localPref, null, communities?.Select(AdvertisedAttributes.ParseCommunity), large?.Select(LargeCommunity.Parse));
}
