using System.Buffers;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Responders;

/// <summary>
/// Pure: one received Ethernet frame in, a verdict and (for <see cref="FrameVerdict.Answer"/>) the
/// reply frame out. Behaviour follows RFC 826 "Packet Reception" for addresses we own, and
/// upstream MetalLB's ARP responder for which requests count.
/// </summary>
public static class ArpClassifier
{
    /// <summary>Ethernet header plus ARP; the kernel pads short frames to 60 bytes on the wire.</summary>
    public const int ReplySize = EthernetHeader.Size + ArpPacket.Size;

    public static FrameVerdict Classify(
        ReadOnlySpan<byte> frame, LinkIdentity link, OwnershipTable owned,
        Span<byte> reply, out int replyLength, out uint targetIp, out MalformedReason malformed)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(owned);
        replyLength = 0;
        targetIp = 0;
        malformed = MalformedReason.None;
        if (EthernetHeader.TryRead(frame, out var ethernet) != OperationStatus.Done)
            return Malformed(MalformedReason.Truncated, out malformed);
        if (ethernet.EtherType != EtherType.Arp)
            return FrameVerdict.Ignored;
        // A packet socket also sees what we send; never answer our own gratuitous requests.
        if (ethernet.Source == link.Mac)
            return FrameVerdict.Ignored;
        switch (ArpPacket.TryRead(frame[EthernetHeader.Size..], out var arp))
        {
            case OperationStatus.NeedMoreData:
                return Malformed(MalformedReason.Truncated, out malformed);
            case OperationStatus.InvalidData:
                return Malformed(MalformedReason.InvalidHeader, out malformed);
        }
        // Upstream ignores replies, and requests not sent to broadcast or to this link's MAC
        // (a unicast request for another host that a promiscuous link lets through).
        if (arp.Operation != ArpOperation.Request)
            return FrameVerdict.Ignored;
        if (!ethernet.Destination.IsBroadcast && ethernet.Destination != link.Mac)
            return FrameVerdict.Ignored;
        targetIp = arp.TargetProtocolAddress;
        // RFC 5227 §2.4: a request whose sender is the address itself is someone else's announcement
        // of it (a conflict), not a question; answering it would only fight over the cache.
        if (arp.SenderProtocolAddress == arp.TargetProtocolAddress)
            return FrameVerdict.Ignored;
        if (!owned.IsOwned(targetIp, link.Name))
            return FrameVerdict.NotOwned;
        if (reply.Length < ReplySize)
            throw new ArgumentException($"Reply buffer must hold {ReplySize} bytes.", nameof(reply));
        // RFC 826: swap sender and target, put our MAC as sender, opcode reply, unicast back.
        // An RFC 5227 probe (sender IP 0.0.0.0) gets the same answer, as the kernel gives one.
        int n = new EthernetHeader(arp.SenderHardwareAddress, link.Mac, EtherType.Arp).Write(reply);
        n += new ArpPacket(ArpOperation.Reply, link.Mac, targetIp,
            arp.SenderHardwareAddress, arp.SenderProtocolAddress).Write(reply[n..]);
        replyLength = n;
        return FrameVerdict.Answer;
    }

    /// <summary>
    /// Writes one gratuitous ARP frame (RFC 5227 §3 announcement, as upstream sends it): broadcast,
    /// sender = target = the IP, target MAC ff:ff:ff:ff:ff:ff. Upstream sends a request and a reply
    /// per round because some hosts only update their cache from one of the two.
    /// </summary>
    public static int WriteGratuitous(Span<byte> destination, ArpOperation operation, MacAddress mac, uint ip)
    {
        int n = new EthernetHeader(MacAddress.Broadcast, mac, EtherType.Arp).Write(destination);
        n += new ArpPacket(operation, mac, ip, MacAddress.Broadcast, ip).Write(destination[n..]);
        return n;
    }

    private static FrameVerdict Malformed(MalformedReason reason, out MalformedReason malformed)
    {
        malformed = reason;
        return FrameVerdict.Malformed;
    }
}
