using System.Net;
using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Tests.Swim;

/// <summary>Addresses as memberlist puts them on the wire (Go's net.IP: 4 or 16 bytes).</summary>
public sealed class AddressTests
{
    public static TheoryData<string, byte[], ushort, string?> Cases => new()
    {
        { "IPv4", [192, 0, 2, 7], 7946, "192.0.2.7:7946" },
        { "IPv4 in Go's 16-byte form", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 51, 100, 1], 7946, "198.51.100.1:7946" },
        { "IPv6", [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 7946, "[2001:db8::1]:7946" },
        { "no port", [192, 0, 2, 7], 0, null },
        { "5 bytes", [192, 0, 2, 7, 1], 7946, null },
        { "empty", [], 7946, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reads_wire_addresses(string name, byte[] address, ushort port, string? expected)
    {
        var ok = Memberlist.TryEndPoint(address, port, out var endPoint);
        Assert.True(ok == (expected is not null), name);
        if (expected is not null)
            Assert.Equal(IPEndPoint.Parse(expected), endPoint);
    }
}
