using System.Net;
using System.Net.Sockets;

namespace MetalLb.Net.Bgp.Session;

/// <summary>Speaker-wide settings.</summary>
public sealed record BgpSpeakerOptions
{
    /// <summary>Port for passive peers and collisions; null: no listener (upstream native never listens).</summary>
    /// <value>Null by default.</value>
    public int? ListenPort { get; init; }
    /// <value>Any address by default.</value>
    public IPAddress ListenAddressIPv4 { get; init; } = IPAddress.Any;
    /// <value>Any address by default.</value>
    public IPAddress ListenAddressIPv6 { get; init; } = IPAddress.IPv6Any;
    /// <summary>
    /// This process is a restart (RFC 4724): sessions with graceful restart set the Restart State
    /// bit so peers keep our routes until our End-of-RIB.
    /// </summary>
    public bool Restarting { get; init; }

    /// <summary>
    /// Creates every TCP socket (dial and listen). Null: a plain socket. A host can bind sockets
    /// to a VRF device here; the interop tests create them inside a network namespace.
    /// </summary>
    public Func<AddressFamily, Socket>? SocketFactory { get; init; }
}
