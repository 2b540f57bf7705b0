using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using MetalLb.Net.Layer2.Interfaces;

namespace MetalLb.Net.Layer2.Tests.Interfaces;

public sealed class NetlinkParserTests
{
    [Fact]
    public void Reads_name_mac_flags_and_master_of_a_link_and_stops_at_done()
    {
        byte[] buffer = [.. LinkMessage(), .. Message(3, [0, 0, 0, 0])];
        var links = new List<LinkInfo>();
        Assert.Equal(OperationStatus.Done, NetlinkParser.TryParse(buffer, links, [], out bool done));
        Assert.True(done);
        var link = Assert.Single(links);
        Assert.Equal((7, "s0", "02:00:00:00:a0:01", 0x1043u, 9), (link.Index, link.Name, link.Mac.ToString(), link.Flags, link.MasterIndex));
        Assert.True(link.IsUp && link.IsBroadcast && !link.IsNoArp);
    }

    [Fact]
    public void Records_links_with_an_ipv6_link_local_address_only()
    {
        var linkLocal = new HashSet<int>();
        byte[] buffer = [.. AddressMessage(7, "fe800000000000000000000000000001"), .. AddressMessage(8, "20010db8000000000000000000000001")];
        Assert.Equal(OperationStatus.Done, NetlinkParser.TryParse(buffer, [], linkLocal, out _));
        Assert.Equal([7], linkLocal);
    }

    [Fact]
    public void An_error_message_or_a_length_past_the_buffer_is_invalid()
    {
        Assert.Equal(OperationStatus.InvalidData, NetlinkParser.TryParse(Message(2, [0xEA, 0xFF, 0xFF, 0xFF]), [], [], out _));
        var cut = LinkMessage()[..30];
        Assert.Equal(OperationStatus.InvalidData, NetlinkParser.TryParse(cut, [], [], out _));
    }

    /// <summary>RTM_NEWLINK for index 7 "s0", flags UP|BROADCAST|RUNNING|MULTICAST, master 9.</summary>
    internal static byte[] LinkMessage()
    {
        var ifinfo = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(ifinfo.AsSpan(4), 7);
        BinaryPrimitives.WriteUInt32LittleEndian(ifinfo.AsSpan(8), 0x1043);
        byte[] master = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(master, 9);
        return Message(16, [.. ifinfo, .. Attribute(3, [.. Encoding.ASCII.GetBytes("s0"), 0]),
            .. Attribute(1, [0x02, 0, 0, 0, 0xA0, 0x01]), .. Attribute(10, master)]);
    }

    private static byte[] AddressMessage(int index, string hex)
    {
        var ifaddr = new byte[8];
        ifaddr[0] = 10;
        BinaryPrimitives.WriteInt32LittleEndian(ifaddr.AsSpan(4), index);
        return Message(20, [.. ifaddr, .. Attribute(1, Convert.FromHexString(hex))]);
    }

    private static byte[] Attribute(ushort type, byte[] data)
    {
        var a = new byte[(4 + data.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)(4 + data.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(a.AsSpan(2), type);
        data.CopyTo(a, 4);
        return a;
    }

    private static byte[] Message(ushort type, byte[] body)
    {
        var m = new byte[16 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)m.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), type);
        body.CopyTo(m, 16);
        return m;
    }
}
