using System.Text.Json.Nodes;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Controller.Reconcile;
using MetalLb.Net.Controller.Writes;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Controller.Tests;

/// <summary>The pure part of writing: what we own on a Service, and the patches that change only that.</summary>
public sealed class ServicePatchTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static Service Svc(string[]? ips = null, string? pool = null, Condition? condition = null) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = "s", Namespace = "default", Generation = 3,
            Annotations = pool is null ? new() { ["other"] = "x" } : new() { ["other"] = "x", [Annotations.IPAllocatedFromPool] = pool },
        },
        Spec = new ServiceSpec { Type = "LoadBalancer" },
        Status = new ServiceStatus
        {
            LoadBalancer = new LoadBalancerStatus { Ingress = ips?.Select(ip => new LoadBalancerIngress { IP = ip }).ToList() },
            Conditions = condition is null ? [new Condition { Type = "other/Thing", Status = "True" }] : [new Condition { Type = "other/Thing", Status = "True" }, condition],
        },
    };

    [Fact]
    public void An_allocation_patches_ingress_and_our_condition_only()
    {
        var outcome = new ServiceOutcome([IpAddress.Parse("192.0.2.1")], "p", null, []);
        var desired = ServiceState.From(Svc(), outcome);
        var patch = JsonNode.Parse(ServicePatches.Status(Svc(), desired, Now))!["status"]!;

        Assert.Equal("192.0.2.1", (string?)patch["loadBalancer"]!["ingress"]![0]!["ip"]);
        var condition = Assert.Single(patch["conditions"]!.AsArray())!;
        Assert.Equal("metallb.io/IPAllocated", (string?)condition["type"]);
        Assert.Equal(("True", "Allocated"), ((string?)condition["status"], (string?)condition["reason"]));
        Assert.Equal("192.0.2.1 from IPAddressPool \"p\"", (string?)condition["message"]);
        Assert.Equal(3, (long?)condition["observedGeneration"]);
        Assert.Equal("2026-11-24T12:00:00Z", (string?)condition["lastTransitionTime"]);
        Assert.Equal("""{"metadata":{"annotations":{"metallb.io/ip-allocated-from-pool":"p"}}}""", ServicePatches.Annotation("p"));
    }

    [Fact]
    public void A_pending_reason_changing_keeps_the_transition_time_and_a_clear_removes_ingress_and_annotation()
    {
        var since = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var held = Svc(["192.0.2.1"], "p", new Condition
        {
            Type = ServiceCondition.Type, Status = "False", Reason = "NoAvailableIPs", Message = "no available IPs", LastTransitionTime = since,
        });
        var outcome = new ServiceOutcome([], null, new AllocationError(PendingReason.UnknownPool, "unknown pool \"q\""), []);
        var desired = ServiceState.From(held, outcome);
        var patch = JsonNode.Parse(ServicePatches.Status(held, desired, Now))!["status"]!;

        Assert.Null(patch["loadBalancer"]!["ingress"]);
        Assert.True(patch["loadBalancer"]!.AsObject().ContainsKey("ingress"), "ingress is deleted by a null, not left out");
        var condition = patch["conditions"]![0]!;
        Assert.Equal(("False", "UnknownPool"), ((string?)condition["status"], (string?)condition["reason"]));
        Assert.Equal("2026-01-01T00:00:00Z", (string?)condition["lastTransitionTime"]);
        Assert.Equal("""{"metadata":{"annotations":{"metallb.io/ip-allocated-from-pool":null}}}""", ServicePatches.Annotation(null));
    }

    [Fact]
    public void A_service_that_is_no_longer_a_LoadBalancer_has_our_condition_deleted_by_merge_key()
    {
        var svc = Svc(["192.0.2.1"], "p", new Condition { Type = ServiceCondition.Type, Status = "True", Reason = "Allocated", Message = "m" });
        svc.Spec.Type = "ClusterIP";
        var desired = ServiceState.From(svc, new ServiceOutcome([], null, new AllocationError(PendingReason.NotLoadBalancer, "not a LoadBalancer service"), []));
        Assert.Null(desired.Condition);
        var condition = JsonNode.Parse(ServicePatches.Status(svc, desired, Now))!["status"]!["conditions"]![0]!;
        Assert.Equal("delete", (string?)condition["$patch"]);
        Assert.Equal(ServiceCondition.Type, (string?)condition["type"]);
    }

    [Fact]
    public void The_state_we_own_ignores_hostnames_other_annotations_and_other_conditions()
    {
        var svc = Svc(["192.0.2.1"], "p");
        svc.Status!.LoadBalancer!.Ingress!.Add(new LoadBalancerIngress { Hostname = "lb.example.com" });
        var state = ServiceState.Of(svc);
        Assert.Equal(["192.0.2.1"], state.IPs);
        Assert.Equal("p", state.Pool);
        Assert.Null(state.Condition);
        Assert.Equal(state, new ServiceState(["192.0.2.1"], "p", null));
        Assert.NotEqual(state, new ServiceState(["192.0.2.1"], "q", null));
        Assert.True(state.StatusEquals(new ServiceState(["192.0.2.1"], "q", null)));
    }
}
