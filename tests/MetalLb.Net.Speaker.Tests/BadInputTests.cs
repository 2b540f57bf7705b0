using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>Configuration that cannot be used: reported where an operator looks, while what was announced stays.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class BadInputTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("a peer whose password Secret is missing")]
    [InlineData("a peer with both a password and a password Secret")]
    public async Task Bad_config_is_reported_in_the_configuration_state_and_the_last_good_announcements_stay(string what)
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine });
        var s = new Scenario(lab);
        var router = lab.Router!;
        await s.PoolAsync("lan", Scenario.L2Addresses);
        await s.L2AdvertisementAsync("lan");
        await s.PoolAsync("wan", Scenario.BgpAddresses);
        await s.BgpPeerAsync("router");
        await s.BgpAdvertisementAsync("wan");
        await s.ServiceAsync("web", "lan");
        await s.ServiceAsync("api", "wan");
        string l2 = (await s.IPsAsync("web"))[0];
        string prefix = (await s.IPsAsync("api"))[0] + "/32";
        var owner = s.ElectionOrder(l2)[0];
        var all = lab.Nodes.Select(n => n.IPv4).Order(StringComparer.Ordinal).ToList();
        await s.WaitAnsweredByAsync(l2, owner);
        await Wait.ForAsync(() => router.KernelNextHops(prefix), h => h.SequenceEqual(all), $"{prefix} via every node", router.Describe);
        foreach (var n in lab.Nodes)
            await Wait.ForAsync(() => s.ConfigurationStateAsync(n), c => c?.Status?.Result == "Valid", $"speaker-{n.Name} Valid", () => lab.Describe(20));

        // A second peer (another address, so the first stays as it is) that cannot be used.
        await s.BgpPeerAsync("broken", p =>
        {
            p.PeerAddress = "192.0.2.250";
            if (what.Contains("missing", StringComparison.Ordinal))
                p.PasswordSecret = new SecretReference { Name = "no-such-secret", Namespace = Scenario.Ns };
            else
            {
                p.Password = "inline";
                p.PasswordSecret = new SecretReference { Name = "also-set", Namespace = Scenario.Ns };
            }
        });

        foreach (var n in lab.Nodes)
        {
            var state = await Wait.ForAsync(() => s.ConfigurationStateAsync(n), c => c?.Status?.Result == "Invalid",
                $"speaker-{n.Name} reports the configuration Invalid", () => lab.Describe(20));
            Assert.Contains("broken", state!.Status!.ErrorSummary ?? "", StringComparison.Ordinal);
        }
        // The last good configuration still rules: same L2 owner, same routes.
        Assert.Equal(owner.Mac, lab.Client.WhoHas(l2));
        Assert.Equal(all, router.KernelNextHops(prefix));
        Assert.Equal(all, router.EstablishedPeers().Order(StringComparer.Ordinal));
    }
}
