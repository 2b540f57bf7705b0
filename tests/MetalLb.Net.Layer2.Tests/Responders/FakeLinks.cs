using MetalLb.Net.Layer2.Interfaces;
using MetalLb.Net.Layer2.Sockets;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Tests.Responders;

/// <summary>Fake links and the fake connections opened on them, for the announcer.</summary>
internal sealed class FakeLinks : ILinkSource, IPacketConnFactory
{
    public List<LinkInfo> Links { get; } = [];

    public Dictionary<string, FakePacketConn> Arp { get; } = [];

    public Dictionary<string, FakePacketConn> Ndp { get; } = [];

    public IReadOnlyList<LinkInfo> ReadLinks() => [.. Links];

    public IPacketConn OpenArp(LinkInfo link) => Arp[link.Name] = new FakePacketConn();

    public IPacketConn OpenNdp(LinkInfo link) => Ndp[link.Name] = new FakePacketConn();

    public static LinkInfo Link(int index, string name, ulong mac) =>
        new(index, name, new MacAddress(mac), LinkInfo.IffUp | LinkInfo.IffBroadcast, 0, HasIpv6LinkLocal: true);
}
