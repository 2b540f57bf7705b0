using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.Core;

/// <summary>core/v1 Service: the fields MetalLB reads (spec) and writes (status, annotations).</summary>
public sealed class Service : KubeObject
{
    [JsonPropertyName("spec")] public ServiceSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public ServiceStatus? Status { get; set; }
}

public sealed class ServiceSpec
{
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
