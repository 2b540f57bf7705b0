using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Controller.Tests;

/// <summary>The controller against the emulated API server: what a user sees on their Services and pools.</summary>
public sealed class AllocationTests
{
    [Fact]
    public async Task A_service_gets_its_IP_pool_annotation_condition_event_and_the_pool_its_status()
    {
        await using var lab = await ControllerLab.StartAsync("web");
        await lab.CreatePoolAsync("default", "192.0.2.10-192.0.2.11");
        lab.StartController();
        await lab.CreateServiceAsync("front", "web");

        Service svc = await lab.WaitForIPsAsync("front", "web");
        Assert.Equal(["192.0.2.10"], ControllerLab.IPs(svc));
        await Eventually.True(async () => (await lab.GetServiceAsync("front", "web")).Metadata.Annotations?
            .GetValueOrDefault("metallb.io/ip-allocated-from-pool") == "default", "the pool annotation");
        svc = await lab.GetServiceAsync("front", "web");
        var condition = ControllerLab.OurCondition(svc);
        Assert.NotNull(condition);
        Assert.Equal(("True", "Allocated"), (condition.Status, condition.Reason));
        Assert.Contains("192.0.2.10", condition.Message, StringComparison.Ordinal);

        await Eventually.True(async () => (await lab.EventsAsync("front", "web")).Any(e => e.Reason == "IPAllocated"), "an IPAllocated event");
        await Eventually.True(async () => (await lab.Pools.GetAsync(ControllerLab.Ns, "default")).Status is
            { AssignedIPv4: 1, AvailableIPv4: 1, AssignedIPv6: 0, AvailableIPv6: 0 }, "pool status 1 assigned, 1 available");
    }

    [Fact]
    public async Task A_pending_service_says_why_in_its_condition_and_takes_the_IP_a_deleted_service_frees()
    {
        await using var lab = await ControllerLab.StartAsync();
        await lab.CreatePoolAsync("tiny", "192.0.2.20/32");
        lab.StartController();
        await lab.CreateServiceAsync("first");
        await lab.WaitForIPsAsync("first");
        await lab.CreateServiceAsync("second");

        await Eventually.True(async () => ControllerLab.OurCondition(await lab.GetServiceAsync("second")) is
            { Status: "False", Reason: "NoAvailableIPs" }, "second is pending with reason NoAvailableIPs");
        var pending = ControllerLab.OurCondition(await lab.GetServiceAsync("second"))!;
        Assert.Equal("no available IPs", pending.Message);
        await Eventually.True(async () => (await lab.EventsAsync("second")).Any(e => e is { Type: "Warning", Reason: "AllocationFailed" }),
            "an AllocationFailed warning");

        await lab.Services.DeleteAsync("default", "first");
        Service second = await lab.WaitForIPsAsync("second");
        Assert.Equal(["192.0.2.20"], ControllerLab.IPs(second));
        // Our own condition write makes the Service reconcile again; that must not repeat the
        // warning (ServiceWriterTests shows the repeat that once made it two).
        var failed = Assert.Single(await lab.EventsAsync("second"), e => e.Reason == "AllocationFailed");
        Assert.Equal(1, failed.Count ?? 1);
    }

    [Fact]
    public async Task An_invalid_configuration_is_not_applied_is_reported_and_marks_the_config_stale()
    {
        await using var lab = await ControllerLab.StartAsync();
        await lab.CreatePoolAsync("a", "192.0.2.0/28");
        var controller = lab.StartController();
        await lab.CreateServiceAsync("kept");
        await lab.WaitForIPsAsync("kept");

        // Overlaps pool a: the configuration as a whole is invalid.
        await lab.CreatePoolAsync("b", "192.0.2.8/29");
        await Eventually.True(() => controller.Runtime.Metrics.ConfigStale, "config_stale_bool is 1");
        var states = lab.Client.Resource<ConfigurationState>();
        await Eventually.True(async () =>
        {
            try
            {
                return (await states.GetAsync(ControllerLab.Ns, "controller")).Status is { Result: "Invalid" } s
                       && s.ErrorSummary!.Contains("overlaps", StringComparison.Ordinal);
            }
            catch (KubeApiException)
            {
                return false;
            }
        }, "ConfigurationState controller is Invalid and names the overlap");

        // The last valid pools still allocate, and nothing held moved.
        await lab.CreateServiceAsync("new");
        Assert.Equal(["192.0.2.1"], ControllerLab.IPs(await lab.WaitForIPsAsync("new")));
        Assert.Equal(["192.0.2.0"], ControllerLab.IPs(await lab.GetServiceAsync("kept")));

        await lab.Pools.DeleteAsync(ControllerLab.Ns, "b");
        await Eventually.True(() => !controller.Runtime.Metrics.ConfigStale, "config_stale_bool back to 0");
        await Eventually.True(async () => (await states.GetAsync(ControllerLab.Ns, "controller")).Status?.Result == "Valid", "Valid again");
    }

    [Fact]
    public async Task A_service_that_stops_being_a_LoadBalancer_loses_its_IP_annotation_and_condition()
    {
        await using var lab = await ControllerLab.StartAsync();
        await lab.CreatePoolAsync("p", "192.0.2.30/31");
        lab.StartController();
        await lab.CreateServiceAsync("svc");
        await lab.WaitForIPsAsync("svc");
        await Eventually.True(async () => (await lab.GetServiceAsync("svc")).Metadata.Annotations?.ContainsKey("metallb.io/ip-allocated-from-pool") == true,
            "annotated");

        await lab.Services.PatchAsync("default", "svc", PatchType.Merge, """{"spec":{"type":"ClusterIP"}}""");
        await Eventually.True(async () =>
        {
            var s = await lab.GetServiceAsync("svc");
            return ControllerLab.IPs(s).Count == 0 && ControllerLab.OurCondition(s) is null
                   && s.Metadata.Annotations?.ContainsKey("metallb.io/ip-allocated-from-pool") != true;
        }, "status, condition and annotation cleared");
    }

    [Fact]
    public async Task With_an_lb_class_only_that_class_is_served_and_others_are_never_written()
    {
        await using var lab = await ControllerLab.StartAsync();
        await lab.CreatePoolAsync("p", "192.0.2.40/30");
        lab.StartController(new ControllerOptions { LoadBalancerClass = "metallb.io/net" });
        await lab.CreateServiceAsync("ours", edit: s => s.Spec.LoadBalancerClass = "metallb.io/net");
        await lab.CreateServiceAsync("classless");
        await lab.CreateServiceAsync("theirs", edit: s => s.Spec.LoadBalancerClass = "example.com/other");

        await lab.WaitForIPsAsync("ours");
        // Wait for the reconciler to have seen the other two, then check they were never touched.
        await lab.CreateServiceAsync("marker", edit: s => s.Spec.LoadBalancerClass = "metallb.io/net");
        await lab.WaitForIPsAsync("marker");
        foreach (string name in (string[])["classless", "theirs"])
        {
            var s = await lab.GetServiceAsync(name);
            Assert.Empty(ControllerLab.IPs(s));
            Assert.Null(ControllerLab.OurCondition(s));
            Assert.Empty(await lab.EventsAsync(name));
        }
    }

    [Fact]
    public async Task Dual_stack_shared_and_requested_addresses_reach_the_status_as_upstream_writes_them()
    {
        await using var lab = await ControllerLab.StartAsync();
        await lab.CreatePoolAsync("dual", "192.0.2.0/30", "2001:db8::/126");
        lab.StartController();
        await lab.CreateServiceAsync("dual", edit: s => s.Spec.IPFamilyPolicy = "RequireDualStack");
        await lab.CreateServiceAsync("web", edit: s =>
        {
            s.Metadata.Annotations = new() { ["metallb.io/allow-shared-ip"] = "k" };
            s.Spec.Ports = [new ServicePort { Port = 80, Protocol = "TCP" }];
        });
        await lab.CreateServiceAsync("dns", edit: s =>
        {
            s.Metadata.Annotations = new() { ["metallb.io/allow-shared-ip"] = "k" };
            s.Spec.Ports = [new ServicePort { Port = 53, Protocol = "UDP" }];
        });
        await lab.CreateServiceAsync("pinned", edit: s =>
            s.Metadata.Annotations = new() { ["metallb.universe.tf/loadBalancerIPs"] = "192.0.2.3" });

        // One of each family, IPv4 first, as upstream orders a dual-stack allocation.
        var dual = ControllerLab.IPs(await lab.WaitForIPsAsync("dual"));
        Assert.Equal(2, dual.Count);
        Assert.StartsWith("192.0.2.", dual[0], StringComparison.Ordinal);
        Assert.StartsWith("2001:db8::", dual[1], StringComparison.Ordinal);
        var web = ControllerLab.IPs(await lab.WaitForIPsAsync("web"));
        Assert.Equal(web, ControllerLab.IPs(await lab.WaitForIPsAsync("dns")));
        Assert.Equal(["192.0.2.3"], ControllerLab.IPs(await lab.WaitForIPsAsync("pinned")));
        // The deprecated annotation spelling works and is warned about.
        await Eventually.True(async () => (await lab.EventsAsync("pinned")).Any(e => e is { Type: "Warning", Reason: "deprecatedAnnotation" }),
            "a deprecatedAnnotation warning");
    }

    [Fact]
    public async Task Started_before_the_CRDs_exist_it_keeps_listing_and_allocates_once_they_do()
    {
        await using var lab = await ControllerLab.StartWithoutCrdsAsync();
        lab.StartController();
        await lab.CreateServiceAsync("early");

        // kubectl apply of a whole release lands the CRDs after the Deployment has started.
        await lab.Emulator.InstallCrdsAsync();
        await lab.CreatePoolAsync("p", "192.0.2.128/30");
        Assert.Equal(["192.0.2.128"], ControllerLab.IPs(await lab.WaitForIPsAsync("early", deadline: TimeSpan.FromSeconds(60))));
    }
}
