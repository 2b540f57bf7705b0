using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Controller.Tests;

/// <summary>How the controller reacts to pool, namespace and community changes (docs/upstream-behaviour.md#configuration-changes).</summary>
public sealed class ConfigChangeTests
{
    [Fact]
    public async Task Namespace_labels_steer_new_services_keep_valid_IPs_and_move_ones_no_longer_allowed()
    {
        await using var lab = await ControllerLab.StartAsync("ns1");
        // ns2 keeps the team pool's namespace set non-empty: an empty set would restrict nobody
        // (upstream's quirk Q2), and ns1 could keep a team address after losing the label.
        await lab.Client.Resource<Namespace>().CreateAsync(new Namespace
        {
            Metadata = new ObjectMeta { Name = "ns2", Labels = new() { ["team"] = "a" } },
        });
        await lab.CreatePoolAsync("shared", "192.0.2.0/30");
        await lab.Pools.CreateAsync(new IPAddressPool
        {
            Metadata = new ObjectMeta { Name = "team", Namespace = ControllerLab.Ns },
            Spec = new IPAddressPoolSpec
            {
                Addresses = ["198.51.100.0/30"],
                ServiceAllocation = new ServiceAllocation
                {
                    Priority = 1,
                    NamespaceSelectors = [new LabelSelector { MatchLabels = new() { ["team"] = "a" } }],
                },
            },
        });
        lab.StartController();
        await lab.CreateServiceAsync("before", "ns1");
        Assert.Equal(["192.0.2.0"], ControllerLab.IPs(await lab.WaitForIPsAsync("before", "ns1")));

        // Labelled into the team pool's reach: new Services go there; the old one keeps its IP.
        await lab.Client.Resource<Namespace>().PatchAsync(null, "ns1", PatchType.Merge, """{"metadata":{"labels":{"team":"a"}}}""");
        await Eventually.True(async () =>
        {
            await lab.Services.DeleteAsync("ns1", "probe");
            await lab.CreateServiceAsync("probe", "ns1");
            var probe = await lab.WaitForIPsAsync("probe", "ns1");
            return ControllerLab.IPs(probe)[0].StartsWith("198.51.100.", StringComparison.Ordinal);
        }, "a new service in ns1 gets a team address");
        Assert.Equal(["192.0.2.0"], ControllerLab.IPs(await lab.GetServiceAsync("before", "ns1")));

        // Unlabelled: the team address is no longer allowed, so that Service moves to the shared pool.
        await lab.Client.Resource<Namespace>().PatchAsync(null, "ns1", PatchType.Merge, """{"metadata":{"labels":null}}""");
        await Eventually.True(async () => ControllerLab.IPs(await lab.GetServiceAsync("probe", "ns1")) is [var ip] && ip.StartsWith("192.0.2.", StringComparison.Ordinal),
            "the probe service moves to the shared pool");
        await Eventually.True(async () => (await lab.EventsAsync("probe", "ns1")).Any(e => e.Reason == "ClearAssignment"), "a ClearAssignment event");
        Assert.Equal(["192.0.2.0"], ControllerLab.IPs(await lab.GetServiceAsync("before", "ns1")));
    }

    [Fact]
    public async Task A_bad_community_makes_the_config_stale_and_fixing_it_clears_that()
    {
        await using var lab = await ControllerLab.StartAsync();
        await lab.CreatePoolAsync("p", "192.0.2.64/30");
        var controller = lab.StartController();
        await lab.CreateServiceAsync("a");
        await lab.WaitForIPsAsync("a");
        var communities = lab.Client.Resource<Community>();
        await communities.CreateAsync(new Community
        {
            Metadata = new ObjectMeta { Name = "c", Namespace = ControllerLab.Ns },
            Spec = new CommunitySpec { Communities = [new CommunityAlias { Name = "bad", Value = "99999999:1" }] },
        });
        await Eventually.True(() => controller.Runtime.Metrics.ConfigStale, "stale after a bad community");
        await communities.PatchAsync(ControllerLab.Ns, "c", PatchType.Merge, """{"spec":{"communities":[{"name":"good","value":"65000:1"}]}}""");
        await Eventually.True(() => !controller.Runtime.Metrics.ConfigStale, "fresh again");
        Assert.Equal(["192.0.2.64"], ControllerLab.IPs(await lab.GetServiceAsync("a")));
    }

    [Fact]
    public async Task Shrinking_a_pool_replaces_only_the_addresses_it_no_longer_holds()
    {
        await using var lab = await ControllerLab.StartAsync();
        await lab.CreatePoolAsync("p", "192.0.2.0/29");
        lab.StartController();
        for (int i = 0; i < 3; i++)
        {
            await lab.CreateServiceAsync($"s{i}");
            await lab.WaitForIPsAsync($"s{i}");
        }
        // .0 and .1 leave the pool; .2 stays, so s2 keeps it and s0, s1 get .3 and .4.
        await lab.Pools.PatchAsync(ControllerLab.Ns, "p", PatchType.Merge, """{"spec":{"addresses":["192.0.2.2-192.0.2.7"]}}""");
        await Eventually.True(async () =>
        {
            var ips = new List<string>();
            for (int i = 0; i < 3; i++)
                ips.AddRange(ControllerLab.IPs(await lab.GetServiceAsync($"s{i}")));
            return ips.Order().SequenceEqual(["192.0.2.2", "192.0.2.3", "192.0.2.4"]);
        }, "s0 and s1 re-allocated inside the smaller pool");
        Assert.Equal(["192.0.2.2"], ControllerLab.IPs(await lab.GetServiceAsync("s2")));
    }
}
