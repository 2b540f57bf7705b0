using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>What takes a node out of the L2 election (docs/upstream-speaker.md §2.2, §4.1) moves the IP; what puts it back returns it.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class L2EligibilityTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("exclude label")]
    [InlineData("NetworkUnavailable")]
    public async Task An_ineligible_owner_hands_the_ip_to_the_next_node_and_takes_it_back_when_eligible_again(string what)
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine });
        var s = new Scenario(lab);
        await s.PoolAsync("lan", Scenario.L2Addresses);
        await s.L2AdvertisementAsync("lan");
        await s.ServiceAsync("web", "lan");
        string ip = (await s.IPsAsync("web"))[0];
        var order = s.ElectionOrder(ip);
        await s.WaitAnsweredByAsync(ip, order[0]);

        await Set(lab, order[0], what, on: true);
        await s.WaitAnsweredByAsync(ip, order[1]);
        await Wait.ForAsync(() => s.L2StatusesAsync("web"), l => l.Count == 1 && l[0].Status?.Node == order[1].Name,
            $"ServiceL2Status names {order[1].Name}", () => lab.Describe(20));

        await Set(lab, order[0], what, on: false);
        await s.WaitAnsweredByAsync(ip, order[0]);
    }

    [SkippableFact]
    public async Task A_node_selector_picks_the_announcing_node_and_one_matching_no_node_withdraws_the_ip()
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine });
        var s = new Scenario(lab);
        await s.PoolAsync("lan", Scenario.L2Addresses);
        await s.ServiceAsync("web", "lan");
        string ip = (await s.IPsAsync("web"))[0];
        // The node the election would put last: only the selector can make it the owner.
        var last = s.ElectionOrder(ip)[^1];
        var ad = await s.L2AdvertisementAsync("lan", new L2AdvertisementSpec { NodeSelectors = [Hostname(last.Name)] });
        await s.WaitAnsweredByAsync(ip, last);

        ad.Spec.NodeSelectors = [Hostname("no-such-node")];
        await lab.Api.Resource<L2Advertisement>().UpdateAsync(ad);
        await Wait.ForAsync(() => lab.Client.WhoHas(ip), mac => mac is null, $"nobody to answer for {ip}", () => lab.Describe(20));
        await Wait.ForAsync(() => s.L2StatusesAsync("web"), l => l.Count == 0, "no ServiceL2Status left", () => lab.Describe(20));
    }

    [SkippableFact]
    public async Task With_external_traffic_policy_local_only_a_node_with_a_ready_endpoint_announces()
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine });
        var s = new Scenario(lab);
        await s.PoolAsync("lan", Scenario.L2Addresses);
        await s.L2AdvertisementAsync("lan");
        await s.ServiceAsync("web", "lan", local: true, endpointsOn: []);
        string ip = (await s.IPsAsync("web"))[0];
        var order = s.ElectionOrder(ip);

        // The election's last node hosts the only endpoint: it announces, though it would lose under Cluster.
        await s.SetEndpointsAsync("web", [order[^1]]);
        await s.WaitAnsweredByAsync(ip, order[^1]);
        // The endpoint moves: so does the IP.
        await s.SetEndpointsAsync("web", [order[1]]);
        await s.WaitAnsweredByAsync(ip, order[1]);
        // No endpoint anywhere: nobody announces.
        await s.SetEndpointsAsync("web", []);
        await Wait.ForAsync(() => lab.Client.WhoHas(ip), mac => mac is null, $"nobody to answer for {ip}", () => lab.Describe(20));
    }

    private static LabelSelector Hostname(string node) =>
        new() { MatchLabels = new Dictionary<string, string> { [ClusterLab.HostnameLabel] = node } };

    private static Task Set(ClusterLab lab, LabNode node, string what, bool on) => what switch
    {
        // Upstream tests presence: any value excludes, even "false".
        "exclude label" => lab.SetNodeLabelAsync(node, ClusterLab.ExcludeLabel, on ? "false" : null),
        _ => lab.SetNetworkUnavailableAsync(node, on),
    };
}
