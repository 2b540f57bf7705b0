using System.Text.Json;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.Serialization;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Core.Planning;

namespace MetalLb.Net.Core.Tests.Planning;

/// <summary>Service.DeepClone, used where plan and the controller change a copy of a shared object.</summary>
public sealed class ServiceCloneTests
{
    private static Service Full() => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new ObjectMeta
        {
            Name = "web", Namespace = "default", Uid = "u-1", ResourceVersion = "42", Generation = 3,
            CreationTimestamp = DateTimeOffset.Parse("2026-01-02T03:04:05Z"), Labels = new() { ["app"] = "web" },
            Annotations = new() { [Annotations.AllowSharedIP] = "k" }, Finalizers = ["f"],
            OwnerReferences = [new OwnerReference { ApiVersion = "v1", Kind = "X", Name = "x", Uid = "u-2", Controller = true }],
        },
        Spec = new ServiceSpec
        {
            Type = ServiceSpec.LoadBalancerType, ExternalTrafficPolicy = ServiceSpec.LocalTrafficPolicy, HealthCheckNodePort = 30999,
            IPFamilyPolicy = "PreferDualStack", IPFamilies = ["IPv4"], Selector = new() { ["app"] = "web" },
            Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = new IntOrString(null, "http"), NodePort = 30080 }],
        },
        Status = new ServiceStatus
        {
            LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { IP = "192.0.2.1", IPMode = "VIP" }] },
            Conditions = [new Condition { Type = "Ready", Status = "True" }],
        },
    };

    private static string Json(Service s) => JsonSerializer.Serialize(s, ApiJsonContext.Default.Service);

    [Fact]
    public void The_clone_has_every_field_and_shares_nothing()
    {
        var original = Full();
        string before = Json(original);

        var clone = original.DeepClone();
        Assert.Equal(before, Json(clone));
        clone.Metadata.Annotations!["x"] = "y";
        clone.Metadata.Labels!.Clear();
        clone.Spec.Ports![0].Port = 81;
        clone.Spec.IPFamilies!.Add("IPv6");
        clone.Status!.LoadBalancer!.Ingress!.Clear();
        clone.Status.Conditions![0].Status = "False";
        clone.Metadata.OwnerReferences![0].Name = "z";

        Assert.Equal(before, Json(original));
    }

    [Fact]
    public void Offline_cluster_ips_keep_every_other_field_and_leave_the_input_alone()
    {
        var original = Full();
        string before = Json(original);

        var filled = OfflineDefaults.WithClusterIPs(original);

        Assert.Equal(before, Json(original));
        Assert.Equal(["0.0.0.0", "::"], filled.Spec.ClusterIPs);
        Assert.Equal(["IPv4", "IPv6"], filled.Spec.IPFamilies);
        Assert.Equal(30999, filled.Spec.HealthCheckNodePort);
        Assert.Equal(original.Metadata.Finalizers, filled.Metadata.Finalizers);
    }
}
