using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 ServiceL2Status: which node announces a Service over L2.</summary>
public sealed class ServiceL2Status : KubeObject
{
    [JsonPropertyName("spec")] public Dictionary<string, object>? Spec { get; set; }
    [JsonPropertyName("status")] public ServiceL2StatusStatus? Status { get; set; }
}

public sealed class ServiceL2StatusStatus
{
    [JsonPropertyName("node")] public string? Node { get; set; }
    [JsonPropertyName("serviceName")] public string? ServiceName { get; set; }
    [JsonPropertyName("serviceNamespace")] public string? ServiceNamespace { get; set; }
    /// <summary>Set only when not every interface announces.</summary>
    [JsonPropertyName("interfaces")] public List<InterfaceInfo>? Interfaces { get; set; }
}

public sealed class InterfaceInfo
{
    [JsonPropertyName("name")] public string? Name { get; set; }
}

/// <summary>metallb.io/v1beta1 ServiceBGPStatus: which peers a node announces a Service to.</summary>
public sealed class ServiceBGPStatus : KubeObject
{
    [JsonPropertyName("spec")] public Dictionary<string, object>? Spec { get; set; }
    [JsonPropertyName("status")] public ServiceBGPStatusStatus? Status { get; set; }
}

public sealed class ServiceBGPStatusStatus
{
    [JsonPropertyName("node")] public string? Node { get; set; }
    [JsonPropertyName("serviceName")] public string? ServiceName { get; set; }
    [JsonPropertyName("serviceNamespace")] public string? ServiceNamespace { get; set; }
    [JsonPropertyName("peers")] public List<string>? Peers { get; set; }
}

/// <summary>metallb.io/v1beta1 ConfigurationState: whether a component's configuration loaded.</summary>
public sealed class ConfigurationState : KubeObject
{
    [JsonPropertyName("status")] public ConfigurationStateStatus? Status { get; set; }
}

public sealed class ConfigurationStateStatus
{
    /// <summary>Valid, Invalid or Unknown.</summary>
    [JsonPropertyName("result")] public string? Result { get; set; }
    [JsonPropertyName("errorSummary")] public string? ErrorSummary { get; set; }
    [JsonPropertyName("conditions")] public List<Condition>? Conditions { get; set; }
}
