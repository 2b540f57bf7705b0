using System.Text.Json;
using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.Serialization;

namespace MetalLb.Net.Api.Core;

/// <summary>core/v1 Service: the fields MetalLB reads (spec) and writes (status, annotations).</summary>
public sealed class Service : KubeObject
{
    [JsonPropertyName("spec")] public ServiceSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public ServiceStatus? Status { get; set; }

    /// <summary>
    /// A copy that shares nothing with this one, to change without touching a cached object.
    /// Made through the source-generated JSON contract, so a field added to the model is copied
    /// without anyone remembering to (a hand-written copy had already dropped some).
    /// </summary>
    public Service DeepClone() =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(this, ApiJsonContext.Default.Service), ApiJsonContext.Default.Service)!;
}

public sealed class ServiceSpec
{
    /// <summary>The <see cref="Type"/> MetalLB serves.</summary>
    public const string LoadBalancerType = "LoadBalancer";

    /// <summary><see cref="ExternalTrafficPolicy"/>: only nodes with a local endpoint take traffic.</summary>
    public const string LocalTrafficPolicy = "Local";

    /// <summary><see cref="ExternalTrafficPolicy"/>: any node takes traffic (the Kubernetes default).</summary>
    public const string ClusterTrafficPolicy = "Cluster";

    /// <summary>ClusterIP, NodePort, LoadBalancer or ExternalName. <value>ClusterIP by default.</value></summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("loadBalancerClass")] public string? LoadBalancerClass { get; set; }
    [JsonPropertyName("loadBalancerIP")] public string? LoadBalancerIP { get; set; }
    [JsonPropertyName("clusterIP")] public string? ClusterIP { get; set; }
    [JsonPropertyName("clusterIPs")] public List<string>? ClusterIPs { get; set; }
    /// <summary>"IPv4" / "IPv6"; the first is the primary family.</summary>
    [JsonPropertyName("ipFamilies")] public List<string>? IPFamilies { get; set; }
    /// <summary>SingleStack, PreferDualStack or RequireDualStack.</summary>
    [JsonPropertyName("ipFamilyPolicy")] public string? IPFamilyPolicy { get; set; }
    /// <summary>Cluster or Local.</summary>
    [JsonPropertyName("externalTrafficPolicy")] public string? ExternalTrafficPolicy { get; set; }
    [JsonPropertyName("internalTrafficPolicy")] public string? InternalTrafficPolicy { get; set; }
    [JsonPropertyName("selector")] public Dictionary<string, string>? Selector { get; set; }
    [JsonPropertyName("ports")] public List<ServicePort>? Ports { get; set; }
    [JsonPropertyName("sessionAffinity")] public string? SessionAffinity { get; set; }
    [JsonPropertyName("allocateLoadBalancerNodePorts")] public bool? AllocateLoadBalancerNodePorts { get; set; }
    [JsonPropertyName("healthCheckNodePort")] public int? HealthCheckNodePort { get; set; }
    [JsonPropertyName("externalIPs")] public List<string>? ExternalIPs { get; set; }
}

public sealed class ServicePort
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    /// <summary>TCP, UDP or SCTP. <value>TCP by default.</value></summary>
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }
    [JsonPropertyName("port")] public int Port { get; set; }
    [JsonPropertyName("targetPort")] public IntOrString? TargetPort { get; set; }
    [JsonPropertyName("nodePort")] public int? NodePort { get; set; }
    [JsonPropertyName("appProtocol")] public string? AppProtocol { get; set; }
}

public sealed class ServiceStatus
{
    [JsonPropertyName("loadBalancer")] public LoadBalancerStatus? LoadBalancer { get; set; }
    [JsonPropertyName("conditions")] public List<Condition>? Conditions { get; set; }
}

public sealed class LoadBalancerStatus
{
    [JsonPropertyName("ingress")] public List<LoadBalancerIngress>? Ingress { get; set; }
}

public sealed class LoadBalancerIngress
{
    [JsonPropertyName("ip")] public string? IP { get; set; }
    [JsonPropertyName("hostname")] public string? Hostname { get; set; }
    [JsonPropertyName("ipMode")] public string? IPMode { get; set; }
}
