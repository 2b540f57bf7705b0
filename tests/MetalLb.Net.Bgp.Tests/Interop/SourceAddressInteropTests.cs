using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Session;
using static MetalLb.Net.Bgp.Tests.Interop.NetLab;
using static MetalLb.Net.Bgp.Tests.Interop.Speaker;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>BGPPeer.sourceAddress against gobgpd, which only accepts the neighbor address it was given.</summary>
[Trait("Category", "Interop")]
public class SourceAddressInteropTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [SkippableTheory]
    [InlineData("a second local address is used", "192.0.2.3", "192.0.2.3")]
    [InlineData("an address this node lacks falls back to the kernel's choice", "203.0.113.99", "192.0.2.1")]
    public async Task Sessions_come_from_the_source_address(string name, string source, string seenByPeer)
    {
        Require("gobgpd", "gobgp");
        using var lab = new NetLab();
        var us = lab.Namespace("s");
        var peer = lab.Namespace("p");
        var (dev, _) = lab.Link(us, "192.0.2.1", "2001:db8::1", peer, "192.0.2.2", "2001:db8::2");
        Run("ip", $"-n {us} addr add 192.0.2.3/24 dev {dev}");
        var gobgp = new Gobgp(lab, peer, 65001, "192.0.2.2", seenByPeer, 65000);
        gobgp.Start();
        await using var speaker = Speaker.In(lab, us);
        Eventually.Diagnostics.Value = () => $"{name}\n{speaker.GetPeer("gobgp")}\n{InNs(peer, "gobgp neighbor", check: false)}";
        speaker.SetAdvertisements("gobgp", Routes(("203.0.113.80/32", Attrs())));
        await speaker.SetPeerAsync("gobgp", new BgpPeerOptions
        {
            PeerAddress = Ip("192.0.2.2"), PeerAs = 65001, LocalAs = 65000, RouterId = Ip("192.0.2.1"), SourceAddress = Ip(source),
            Families = [MetalLb.Net.Bgp.Wire.Afi.IPv4], ConnectRetryMin = TimeSpan.FromMilliseconds(300),
        });
        var rib = await Eventually.WaitAsync(() => gobgp.Rib("ipv4"), r => r.Count == 1, Deadline, "our route in gobgp");
        // Next-hop self is the session's local address, so it names the source too.
        Assert.Contains($"\"nexthop\":\"{seenByPeer}\"", rib["203.0.113.80/32"], StringComparison.Ordinal);
        Assert.Equal(BgpState.Established, speaker.GetPeer("gobgp")!.State);
    }
}
