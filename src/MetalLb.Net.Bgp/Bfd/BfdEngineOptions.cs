using System.Net;
using System.Net.Sockets;

namespace MetalLb.Net.Bgp.Bfd;

public sealed record BfdEngineOptions
{
    /// <summary>Makes every UDP socket (listeners and senders); tests create them inside a network namespace. Null: <c>new Socket(family, Dgram, Udp)</c>.</summary>
    public Func<AddressFamily, Socket>? SocketFactory { get; init; }
    /// <value>0.0.0.0 by default.</value>
    public IPAddress ListenAddressIPv4 { get; init; } = IPAddress.Any;
    /// <value>:: by default; a host without IPv6 just has no IPv6 listener.</value>
    public IPAddress ListenAddressIPv6 { get; init; } = IPAddress.IPv6Any;
    /// <value>"default": the vrf label of upstream's metrics.</value>
    public string Vrf { get; init; } = "default";
}
