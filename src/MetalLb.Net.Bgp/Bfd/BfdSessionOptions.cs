using System.Net;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>
/// One BFD session as the speaker configures it: the peer's address and MetalLB's BFDProfile
/// fields (metallb.io/v1beta1), with the profile's defaults.
/// </summary>
public sealed record BfdSessionOptions
{
    public required IPAddress PeerAddress { get; init; }
    /// <summary>Our source address; null lets the kernel choose. Multihop peers usually need it (FRR demultiplexes multihop sessions by the address pair).</summary>
    public IPAddress? LocalAddress { get; init; }
    /// <summary>RFC 5883 multihop (UDP 4784, TTL checked against <see cref="MinimumTtl"/>), for ebgpMultiHop peers; otherwise RFC 5881 single hop (UDP 3784, TTL must be 255).</summary>
    public bool Multihop { get; init; }
    /// <value>300 ms by default (receiveInterval).</value>
    public TimeSpan ReceiveInterval { get; init; } = TimeSpan.FromMilliseconds(300);
    /// <value>300 ms by default (transmitInterval).</value>
    public TimeSpan TransmitInterval { get; init; } = TimeSpan.FromMilliseconds(300);
    /// <value>3 by default (detectMultiplier).</value>
    public byte DetectMultiplier { get; init; } = 3;
    /// <summary>Accepted and ignored: the echo function is not implemented (docs/bfd.md). The engine logs a warning.</summary>
    public bool EchoMode { get; init; }
    /// <value>50 ms by default (echoInterval); unused, as echo is not implemented.</value>
    public TimeSpan EchoInterval { get; init; } = TimeSpan.FromMilliseconds(50);
    /// <summary>Send nothing until the peer has sent a packet (passiveMode; RFC 5880 §6.1).</summary>
    public bool PassiveMode { get; init; }
    /// <value>254 by default (minimumTtl): multihop packets with a lower TTL are dropped.</value>
    public byte MinimumTtl { get; init; } = 254;

    internal BfdFsmOptions ToFsmOptions() => new()
    {
        DesiredMinTxInterval = TransmitInterval,
        RequiredMinRxInterval = ReceiveInterval,
        DetectMult = DetectMultiplier,
        Passive = PassiveMode,
    };

    /// <summary>The fields that pick the socket and the demultiplexing; a change to one of them makes a new session.</summary>
    internal bool SamePath(BfdSessionOptions other) =>
        PeerAddress.Equals(other.PeerAddress) && Equals(LocalAddress, other.LocalAddress) && Multihop == other.Multihop;
}
