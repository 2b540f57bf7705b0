using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Session;
using static MetalLb.Net.Bgp.Tests.Interop.InteropLab;
using static MetalLb.Net.Bgp.Tests.Interop.NetLab;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>BGPPeer.sourceAddress against gobgpd, which only accepts the neighbor address it was given.</summary>
[Trait("Category", "Interop")]
public class SourceAddressInteropTests
{
    [SkippableTheory]
    [InlineData("a second local address is used", "192.0.2.3", "192.0.2.3")]
    [InlineData("an address this node lacks falls back to the kernel's choice", "203.0.113.99", "192.0.2.1")]
    public async Task Sessions_come_from_the_source_address(string name, string source, string seenByPeer)
    {
        await using var lab = InteropLab.Create("gobgpd", "gobgp");
        Run("ip", $"-n {lab.Us} addr add 192.0.2.3/24 dev {lab.UsDevice}");
        var gobgp = new Gobgp(lab.Net, lab.Peer, 65001, "192.0.2.2", seenByPeer, 65000);
        gobgp.Start();
        var speaker = lab.OurSpeaker("gobgp", () => $"{name}\n{gobgp.Describe()}");
        speaker.SetAdvertisements("gobgp", Routes(("203.0.113.80/32", Attrs())));
        await speaker.SetPeerAsync("gobgp", Ebgp with
        {
            SourceAddress = Ip(source), Families = [MetalLb.Net.Bgp.Wire.Afi.IPv4], ConnectRetryMin = TimeSpan.FromMilliseconds(300),
        });
        var rib = await Eventually.WaitAsync(() => gobgp.Rib("ipv4"), r => r.Count == 1, Deadline, "our route in gobgp");
        // Next-hop self is the session's local address, so it names the source too.
        Assert.Contains($"\"nexthop\":\"{seenByPeer}\"", rib["203.0.113.80/32"], StringComparison.Ordinal);
        Assert.Equal(BgpState.Established, speaker.GetPeer("gobgp")!.State);
    }
}
