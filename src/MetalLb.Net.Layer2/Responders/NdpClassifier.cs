using System.Buffers;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Responders;

/// <summary>
/// Pure: one received Ethernet frame in, a verdict and (for an owned target) the Neighbor
/// Advertisement frame out. Validation is RFC 4861 §7.1.1; the answer is §7.2.4.
/// </summary>
public static class NdpClassifier
{
    public const int AdvertisementFrameSize =
        EthernetHeader.Size + Ipv6Header.Size + NeighborAdvertisement.MinimumSize + NdpOptions.LinkLayerAddressOptionSize;

    public static FrameVerdict Classify(
        ReadOnlySpan<byte> frame, LinkIdentity link, OwnershipTable owned,
        Span<byte> reply, out int replyLength, out UInt128 target, out MalformedReason malformed)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(owned);
        replyLength = 0;
        target = 0;
        malformed = MalformedReason.None;
        if (EthernetHeader.TryRead(frame, out var ethernet) != OperationStatus.Done)
            return Malformed(MalformedReason.Truncated, out malformed);
        if (ethernet.EtherType != EtherType.IPv6 || ethernet.Source == link.Mac)
            return FrameVerdict.Ignored;
        var packet = frame[EthernetHeader.Size..];
        switch (Ipv6Header.TryRead(packet, out var ip))
        {
            case OperationStatus.NeedMoreData:
                return Malformed(MalformedReason.Truncated, out malformed);
            case OperationStatus.InvalidData:
                return Malformed(MalformedReason.InvalidHeader, out malformed);
        }
        var icmp = packet.Slice(Ipv6Header.Size, ip.PayloadLength);
        if (ip.NextHeader != Ipv6Header.NextHeaderIcmpv6 || icmp.IsEmpty || icmp[0] != NeighborSolicitation.IcmpType)
            return FrameVerdict.Ignored;
        // §7.1.1: hop limit 255 proves the solicitation was not forwarded by a router.
        if (ip.HopLimit != 255)
            return Malformed(MalformedReason.BadHopLimit, out malformed);
        switch (NeighborSolicitation.TryRead(icmp, out var ns))
        {
            case OperationStatus.NeedMoreData:
                return Malformed(MalformedReason.Truncated, out malformed);
            case OperationStatus.InvalidData:
                return Malformed(MalformedReason.InvalidOptions, out malformed);
        }
        if (InternetChecksum.ComputeIcmpv6(ip.Source, ip.Destination, icmp) != 0)
            return Malformed(MalformedReason.BadChecksum, out malformed);
        target = ns.Target;
        bool fromUnspecified = ip.Source == UInt128.Zero;
        var solicitedNode = AddressBits.SolicitedNodeMulticast(ns.Target);
        // §7.1.1: a DAD probe (source ::) goes to the solicited-node group and carries no source
        // link-layer option.
        if (fromUnspecified && (ip.Destination != solicitedNode || ns.SourceLinkLayerAddress is not null))
            return Malformed(MalformedReason.InvalidHeader, out malformed);
        // Multicast to the target's group, or unicast to the target itself: the kernel's NUD
        // probes are unicast, and upstream's NDP responder misses them (its issue 2920).
        if (ip.Destination != solicitedNode && ip.Destination != ns.Target)
            return FrameVerdict.Ignored;
        if (!owned.IsOwned(ns.Target, link.Name))
            return FrameVerdict.NotOwned;

        // §7.2.4: answer a DAD probe to all-nodes with S=0; otherwise unicast to the solicitor,
        // at the MAC from its option, or (a unicast NS may omit it) the frame's source MAC.
        // Override is set as the kernel sets it for its own addresses, so a cache still pointing at
        // the previous owner moves to us. The IPv6 source is the target itself, not our link-local
        // address: ndisc6 rejects a link-local-sourced answer for a global target
        // (docs/upstream-behaviour.md#ndp-source-address), and the kernel accepts both.
        var ipDestination = fromUnspecified ? AddressBits.AllNodes : ip.Source;
        var macDestination = fromUnspecified
            ? MacAddress.ForIpv6Multicast(AddressBits.AllNodes)
            : ns.SourceLinkLayerAddress ?? ethernet.Source;
        replyLength = WriteAdvertisement(reply, link.Mac, macDestination, ns.Target, ipDestination,
            solicited: !fromUnspecified);
        return FrameVerdict.Answer;
    }

    /// <summary>
    /// Writes Ethernet + IPv6 + Neighbor Advertisement with the target link-layer option. An
    /// unsolicited one (§7.2.6, takeover) goes to ff02::1 with S=0, O=1.
    /// </summary>
    public static int WriteAdvertisement(
        Span<byte> destination, MacAddress ourMac, MacAddress macDestination,
        UInt128 target, UInt128 ipDestination, bool solicited)
    {
        if (destination.Length < AdvertisementFrameSize)
            throw new ArgumentException($"Buffer must hold {AdvertisementFrameSize} bytes.", nameof(destination));
        var na = new NeighborAdvertisement(Router: false, Solicited: solicited, Override: true, target, ourMac);
        int n = new EthernetHeader(macDestination, ourMac, EtherType.IPv6).Write(destination);
        int icmpLength = na.GetEncodedLength();
        n += new Ipv6Header((ushort)icmpLength, Ipv6Header.NextHeaderIcmpv6, 255, target, ipDestination)
            .Write(destination[n..]);
        n += na.Write(destination[n..], target, ipDestination);
        return n;
    }

    public static int WriteUnsolicited(Span<byte> destination, MacAddress ourMac, UInt128 target) =>
        WriteAdvertisement(destination, ourMac, MacAddress.ForIpv6Multicast(AddressBits.AllNodes),
            target, AddressBits.AllNodes, solicited: false);

    private static FrameVerdict Malformed(MalformedReason reason, out MalformedReason malformed)
    {
        malformed = reason;
        return FrameVerdict.Malformed;
    }
}
