using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MetalLb.Net.Kube.Tests.Wire;
using Xunit.Abstractions;

namespace MetalLb.Net.Kube.Tests.Witness;

/// <summary>
/// The emulator read by a client we did not write (issue 14): KubernetesClient's typed models
/// must read our list, get, watch and patch responses, and our errors must decode as V1Status.
/// A wire-format slip in the emulator that our own client shares would show up here.
/// </summary>
public sealed class OfficialClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private Emulator _emu = null!;
    private Kubernetes _k8s = null!;

    public async Task InitializeAsync()
    {
        _emu = await Emulator.StartAsync();
        _k8s = OfficialClient.For(_emu);
    }

    public async Task DisposeAsync()
    {
        _k8s.Dispose();
        await _emu.DisposeAsync();
    }

    [Fact]
    public async Task Services_create_list_get_and_both_patch_kinds_read_as_V1Service()
    {
        var created = await _k8s.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.False(string.IsNullOrEmpty(created.Metadata.ResourceVersion));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.False(string.IsNullOrEmpty(created.Spec.ClusterIP));   // the server's defaulting, read by their model

        var list = await _k8s.CoreV1.ListNamespacedServiceAsync("default");
        Assert.Equal(new[] { "web" }, list.Items.Select(s => s.Metadata.Name));
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));

        // Strategic merge on /status: the ingress list and a condition, as our controller writes them.
        var status = new V1Patch("""
            {"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.10"}]},
             "conditions":[{"type":"metallb.io/IPAllocated","status":"True","reason":"Allocated","message":"m","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}
            """, V1Patch.PatchType.StrategicMergePatch);
        var patched = await _k8s.CoreV1.PatchNamespacedServiceStatusAsync(status, "web", "default");
        Assert.Equal("192.0.2.10", Assert.Single(patched.Status.LoadBalancer.Ingress).Ip);
        var condition = Assert.Single(patched.Status.Conditions);
        Assert.Equal(("metallb.io/IPAllocated", "True"), (condition.Type, condition.Status));
        Assert.Equal<DateTime?>(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), condition.LastTransitionTime);

        // Merge patch on the object: an annotation, the labels untouched.
        var merge = new V1Patch("""{"metadata":{"annotations":{"metallb.io/ip-allocated-from-pool":"pool-a"}}}""", V1Patch.PatchType.MergePatch);
        var annotated = await _k8s.CoreV1.PatchNamespacedServiceAsync(merge, "web", "default");
        Assert.Equal("pool-a", annotated.Metadata.Annotations["metallb.io/ip-allocated-from-pool"]);
        Assert.Equal("web", annotated.Metadata.Labels["app"]);
        Assert.Equal("192.0.2.10", Assert.Single(annotated.Status.LoadBalancer.Ingress).Ip);   // status kept

        var got = await _k8s.CoreV1.ReadNamespacedServiceAsync("web", "default");
        Assert.Equal(annotated.Metadata.ResourceVersion, got.Metadata.ResourceVersion);
        Assert.Equal(80, Assert.Single(got.Spec.Ports).Port);
    }

    [Fact]
    public async Task Nodes_leases_and_endpoint_slices_read_as_their_typed_models()
    {
        await _k8s.CoreV1.CreateNodeAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "node-a", Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node-a" } },
            Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "192.0.2.21" }] },
        });
        var node = Assert.Single((await _k8s.CoreV1.ListNodeAsync()).Items);
        Assert.Equal(("node-a", "node-a"), (node.Metadata.Name, node.Metadata.Labels["kubernetes.io/hostname"]));

        var renew = new DateTime(2026, 1, 1, 0, 0, 1, 500, DateTimeKind.Utc);
        await _k8s.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "metallb-controller", NamespaceProperty = "default" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15, RenewTime = renew, AcquireTime = renew, LeaseTransitions = 2 },
        }, "default");
        var lease = await _k8s.CoordinationV1.ReadNamespacedLeaseAsync("metallb-controller", "default");
        Assert.Equal(("a", 15, 2), (lease.Spec.HolderIdentity, lease.Spec.LeaseDurationSeconds ?? 0, lease.Spec.LeaseTransitions ?? 0));
        // MicroTime: the sub-second part must survive our server.
        Assert.Equal<DateTime?>(renew, lease.Spec.RenewTime);
        lease.Spec.HolderIdentity = "b";
        var replaced = await _k8s.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "metallb-controller", "default");
        Assert.Equal("b", replaced.Spec.HolderIdentity);
        Assert.NotEqual(lease.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);

        await _k8s.DiscoveryV1.CreateNamespacedEndpointSliceAsync(new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = "web-abc", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "web" } },
            AddressType = "IPv4",
            Endpoints = [new V1Endpoint { Addresses = ["198.51.100.7"], NodeName = "node-a", Conditions = new V1EndpointConditions { Ready = true } }],
            Ports = [new Discoveryv1EndpointPort { Port = 8080, Protocol = "TCP" }],
        }, "default");
        var slice = Assert.Single((await _k8s.DiscoveryV1.ListNamespacedEndpointSliceAsync("default", labelSelector: "kubernetes.io/service-name=web")).Items);
        var endpoint = Assert.Single(slice.Endpoints);
        Assert.Equal(("198.51.100.7", "node-a", true), (Assert.Single(endpoint.Addresses), endpoint.NodeName, endpoint.Conditions.Ready == true));
    }

    [Fact]
    public async Task Custom_resources_read_as_generic_objects()
    {
        await _emu.InstallCrdsAsync();
        await _emu.CreateNamespaceAsync("metallb-system");
        var pool = new Dictionary<string, object>
        {
            ["apiVersion"] = "metallb.io/v1beta1",
            ["kind"] = "IPAddressPool",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "pool-a" },
            ["spec"] = new Dictionary<string, object> { ["addresses"] = new[] { "192.0.2.0/28" } },
        };
        await _k8s.CustomObjects.CreateNamespacedCustomObjectAsync(pool, "metallb.io", "v1beta1", "metallb-system", "ipaddresspools");

        var list = (JsonElement)await _k8s.CustomObjects.ListNamespacedCustomObjectAsync("metallb.io", "v1beta1", "metallb-system", "ipaddresspools");
        Assert.Equal("IPAddressPoolList", list.GetProperty("kind").GetString());
        var item = Assert.Single(list.GetProperty("items").EnumerateArray().ToList());
        Assert.Equal("pool-a", item.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("192.0.2.0/28", item.GetProperty("spec").GetProperty("addresses")[0].GetString());

        var merge = new V1Patch("""{"spec":{"autoAssign":false}}""", V1Patch.PatchType.MergePatch);
        var patched = (JsonElement)await _k8s.CustomObjects.PatchNamespacedCustomObjectAsync(merge, "metallb.io", "v1beta1", "metallb-system", "ipaddresspools", "pool-a");
        Assert.False(patched.GetProperty("spec").GetProperty("autoAssign").GetBoolean());
    }

    [Fact]
    public async Task A_watch_delivers_added_modified_and_deleted_to_the_official_client()
    {
        var list = await _k8s.CoreV1.ListNamespacedServiceAsync("default");
        using var cts = new CancellationTokenSource(Eventually.DefaultDeadline);
        var seen = new List<(WatchEventType, string, string?)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, service) in _k8s.CoreV1.WatchListNamespacedServiceAsync("default",
                resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                lock (seen)
                    seen.Add((type, service.Metadata.Name, service.Status?.LoadBalancer?.Ingress?.FirstOrDefault()?.Ip));
                if (type == WatchEventType.Deleted)
                    return;
            }
        });
        await _k8s.CoreV1.CreateNamespacedServiceAsync(Service("w1"), "default");
        await _k8s.CoreV1.PatchNamespacedServiceStatusAsync(
            new V1Patch("""{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.11"}]}}}""", V1Patch.PatchType.MergePatch), "w1", "default");
        await _k8s.CoreV1.DeleteNamespacedServiceAsync("w1", "default");
        await watching.WaitAsync(cts.Token);
        Assert.Equal(
            new (WatchEventType, string, string?)[] { (WatchEventType.Added, "w1", null), (WatchEventType.Modified, "w1", "192.0.2.11"), (WatchEventType.Deleted, "w1", "192.0.2.11") },
            seen);
    }

    [Fact]
    public async Task Errors_decode_as_V1Status()
    {
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _k8s.CoreV1.ReadNamespacedServiceAsync("nope", "default"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(missing.Response.Content);
        Assert.Equal(("Status", "Failure", "NotFound", 404), (status.Kind, status.Status, status.Reason, status.Code ?? 0));
        Assert.Equal("nope", status.Details.Name);

        await _k8s.CoreV1.CreateNamespacedServiceAsync(Service("dup"), "default");
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => _k8s.CoreV1.CreateNamespacedServiceAsync(Service("dup"), "default"));
        var exists = KubernetesJson.Deserialize<V1Status>(conflict.Response.Content);
        Assert.Equal((HttpStatusCode.Conflict, "AlreadyExists", 409), (conflict.Response.StatusCode, exists.Reason, exists.Code ?? 0));
    }

    /// <summary>
    /// Evidence for docs/dependencies.md, kept as a test so the page goes stale loudly: the
    /// official client's watch, resumed from a compacted resourceVersion, reports the 410 and
    /// stops; it does not relist (our ResilientWatch relists and carries on).
    /// </summary>
    [Fact]
    public async Task The_official_watch_stops_on_410_and_does_not_relist()
    {
        var list = await _k8s.CoreV1.ListNamespacedServiceAsync("default");
        await _k8s.CoreV1.CreateNamespacedServiceAsync(Service("before"), "default");
        _emu.Server.Compact();
        await _k8s.CoreV1.CreateNamespacedServiceAsync(Service("after"), "default");

        var events = new List<string>();
        var errors = new List<Exception>();
        using var cts = new CancellationTokenSource(Eventually.DefaultDeadline);
        bool endedByItself = false;
        try
        {
            await foreach (var (type, service) in _k8s.CoreV1.WatchListNamespacedServiceAsync("default",
                resourceVersion: list.Metadata.ResourceVersion,
                onError: e => { errors.Add(e); cts.CancelAfter(TimeSpan.FromSeconds(2)); },
                cancellationToken: cts.Token))
            {
                events.Add($"{type} {service?.Metadata?.Name}");
                // After the error, a bounded window in which a relist would have shown up.
                if (type == WatchEventType.Error)
                    cts.CancelAfter(TimeSpan.FromSeconds(2));
            }
            endedByItself = true;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
        }
        output.WriteLine($"ended by itself: {endedByItself}; events: [{string.Join(", ", events)}]; errors: [{string.Join(", ", errors.Select(e => e.GetType().Name + ": " + e.Message))}]");
        // Neither Service arrives: nothing listed again.
        Assert.DoesNotContain(events, e => e.EndsWith(" after", StringComparison.Ordinal) || e.EndsWith(" before", StringComparison.Ordinal));
        Assert.True(errors.Count > 0 || events.Any(e => e.StartsWith("Error", StringComparison.Ordinal)), "the 410 was reported");
    }

    private static V1Service Service(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name == "web" ? "web" : name } },
        Spec = new V1ServiceSpec { Type = "LoadBalancer", Ports = [new V1ServicePort { Port = 80, Protocol = "TCP" }] },
    };
}
