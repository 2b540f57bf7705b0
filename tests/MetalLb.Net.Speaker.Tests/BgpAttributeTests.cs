using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>What a BGPAdvertisement and a BGPPeer say, as the router shows it with vtysh.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class BgpAttributeTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task LocalPref_and_communities_reach_frr_over_sessions_signed_with_the_password_from_a_secret()
    {
        // iBGP: FRR only honours LOCAL_PREF from an internal peer. FRR insists on the password (TCP MD5).
        const string password = "lab-md5-secret";
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions
        {
            Output = output.WriteLine,
            RouterOptions = new FrrRouterOptions { Asn = 64500, NodeAsn = 64500, Password = password },
        });
        var s = new Scenario(lab);
        var router = lab.Router!;
        await s.PasswordSecretAsync("router-password", password);
        await s.PoolAsync("wan", Scenario.BgpAddresses);
        await s.BgpPeerAsync("router", p => p.PasswordSecret = new SecretReference { Name = "router-password", Namespace = Scenario.Ns });
        await s.BgpAdvertisementAsync("wan", new BGPAdvertisementSpec { LocalPref = 150, Communities = ["64500:100", "64500:200"] });
        await s.ServiceAsync("api", "wan");
        string prefix = (await s.IPsAsync("api"))[0] + "/32";
        var all = lab.Nodes.Select(n => n.IPv4).Order(StringComparer.Ordinal).ToList();

        await Wait.ForAsync(router.EstablishedPeers, up => up.SetEquals(all), "MD5-signed sessions from every node", router.Describe);
        var paths = await Wait.ForAsync(() => router.Paths(prefix), p => p.Count == 3, $"three paths for {prefix}", router.Describe);
        Assert.All(paths, p =>
        {
            Assert.Equal(150u, p.LocalPref);
            Assert.Equal("64500:100 64500:200", p.Communities);
        });
    }

    [SkippableFact]
    public async Task A_bgppeer_node_selector_limits_which_nodes_peer()
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine });
        var s = new Scenario(lab);
        var router = lab.Router!;
        var (chosen, other) = (lab.Nodes[0], lab.Nodes[2]);
        await s.PoolAsync("wan", Scenario.BgpAddresses);
        var peer = await s.BgpPeerAsync("router", p => p.NodeSelectors = [Hostname(chosen.Name)]);
        await s.BgpAdvertisementAsync("wan");
        await s.ServiceAsync("api", "wan");
        string prefix = (await s.IPsAsync("api"))[0] + "/32";

        await Wait.ForAsync(() => router.KernelNextHops(prefix), h => h.SequenceEqual([chosen.IPv4]), $"{prefix} via {chosen.Name} only", router.Describe);
        Assert.Equal([chosen.IPv4], router.EstablishedPeers());

        // The selector moves: the session moves with it.
        peer.Spec.NodeSelectors = [Hostname(other.Name)];
        await lab.Api.Resource<BGPPeer>().UpdateAsync(peer);
        await Wait.ForAsync(() => router.KernelNextHops(prefix), h => h.SequenceEqual([other.IPv4]), $"{prefix} via {other.Name} only", router.Describe);
        await Wait.ForAsync(router.EstablishedPeers, up => up.SetEquals([other.IPv4]), $"only {other.Name} peers", router.Describe);
    }

    private static LabelSelector Hostname(string node) =>
        new() { MatchLabels = new Dictionary<string, string> { [ClusterLab.HostnameLabel] = node } };
}
