using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Interfaces;

/*  netlink(7) / rtnetlink(7), host byte order (little-endian on every machine we run on):

    struct nlmsghdr  { u32 len; u16 type; u16 flags; u32 seq; u32 pid; }       16 bytes
    struct ifinfomsg { u8 family; u8 pad; u16 type; i32 index; u32 flags; u32 change; }  16
    struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; }          8
    struct rtattr    { u16 len; u16 type; data... } padded to 4 bytes                      */

/// <summary>Pure parser of RTM_NEWLINK / RTM_NEWADDR dumps. The kernel is trusted no more than the wire.</summary>
public static class NetlinkParser
{
    public const ushort NlmsgDone = 3;
    public const ushort NlmsgError = 2;
    public const ushort RtmNewLink = 16;
    public const ushort RtmNewAddr = 20;
    private const int HeaderSize = 16;
    private const ushort IflaAddress = 1, IflaIfname = 3, IflaMaster = 10;
    private const ushort IfaAddress = 1;
    private const byte AfInet6 = 10;

    /// <summary>Reads one recv() worth of messages; <paramref name="done"/> is set by NLMSG_DONE.</summary>
    public static OperationStatus TryParse(
        ReadOnlySpan<byte> buffer, List<LinkInfo> links, HashSet<int> linkLocalIndexes, out bool done)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(linkLocalIndexes);
        done = false;
        while (buffer.Length >= HeaderSize)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
            if (length < HeaderSize || length > buffer.Length)
                return OperationStatus.InvalidData;
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(buffer[4..]);
            var body = buffer[HeaderSize..(int)length];
            switch (type)
            {
                case NlmsgDone:
                    done = true;
                    return OperationStatus.Done;
                case NlmsgError:
                    return OperationStatus.InvalidData;
                case RtmNewLink when body.Length >= 16:
                    links.Add(ReadLink(body));
                    break;
                case RtmNewAddr when body.Length >= 8:
                    if (body[0] == AfInet6 && FindAttribute(body[8..], IfaAddress) is { Length: 16 } a
                        && AddressBits.IsIpv6LinkLocal(BinaryPrimitives.ReadUInt128BigEndian(a)))
                        linkLocalIndexes.Add(BinaryPrimitives.ReadInt32LittleEndian(body[4..]));
                    break;
            }
            int aligned = Align((int)length);
            buffer = aligned >= buffer.Length ? [] : buffer[aligned..];
        }
        return buffer.IsEmpty ? OperationStatus.Done : OperationStatus.InvalidData;
    }

    private static LinkInfo ReadLink(ReadOnlySpan<byte> body)
    {
        int index = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
        var attributes = body[16..];
        var name = FindAttribute(attributes, IflaIfname);
        var mac = FindAttribute(attributes, IflaAddress);
        var master = FindAttribute(attributes, IflaMaster);
        return new LinkInfo(
            index,
            Encoding.ASCII.GetString(name.IndexOf((byte)0) is var z and >= 0 ? name[..z] : name),
            mac.Length == MacAddress.Size ? MacAddress.Read(mac) : MacAddress.Zero,
            flags,
            master.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(master) : 0,
            HasIpv6LinkLocal: false);
    }

    /// <summary>The payload of the first attribute of <paramref name="type"/>, or empty; stops at the first bad length.</summary>
    private static ReadOnlySpan<byte> FindAttribute(ReadOnlySpan<byte> attributes, ushort type)
    {
        while (attributes.Length >= 4)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(attributes);
            if (length < 4 || length > attributes.Length)
                return [];
            if ((BinaryPrimitives.ReadUInt16LittleEndian(attributes[2..]) & 0x3FFF) == type)
                return attributes[4..length];
            int aligned = Align(length);
            attributes = aligned >= attributes.Length ? [] : attributes[aligned..];
        }
        return [];
    }

    private static int Align(int length) => (length + 3) & ~3;
}
