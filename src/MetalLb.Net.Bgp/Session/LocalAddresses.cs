using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace MetalLb.Net.Bgp.Session;

/// <summary>Local address lookups for router id and next-hop self.</summary>
internal static class LocalAddresses
{
    /// <summary>The local address the kernel would use towards <paramref name="peer"/> (a UDP connect sends nothing).</summary>
    public static IPAddress? SourceTowards(IPAddress peer)
    {
        try
        {
            using var probe = new Socket(peer.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(peer, 9));
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>
    /// An address of <paramref name="family"/> on the interface that holds <paramref name="local"/>:
    /// the IPv6 next hop for IPv6 routes over an IPv4 session, or an IPv4 router id for an IPv6 one.
    /// Global addresses are preferred over link-local ones.
    /// </summary>
    public static IPAddress? Sibling(IPAddress local, AddressFamily family)
    {
        if (local.IsIPv4MappedToIPv6)
            local = local.MapToIPv4();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            var addresses = nic.GetIPProperties().UnicastAddresses.Select(a => a.Address).ToList();
            if (!addresses.Contains(local))
                continue;
            return addresses.Where(a => a.AddressFamily == family).OrderBy(a => a.IsIPv6LinkLocal).FirstOrDefault();
        }
        return null;
    }
}
