using System.Text.Json.Serialization;

namespace MetalLb.Net.Api.Core;

/// <summary>discovery.k8s.io/v1 EndpointSlice, linked to its Service by the label kubernetes.io/service-name.</summary>
public sealed class EndpointSlice : Meta.KubeObject
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    [JsonPropertyName("addressType")] public string? AddressType { get; set; }
    [JsonPropertyName("endpoints")] public List<Endpoint>? Endpoints { get; set; }
    [JsonPropertyName("ports")] public List<EndpointPort>? Ports { get; set; }
}

public sealed class Endpoint
{
    [JsonPropertyName("addresses")] public List<string>? Addresses { get; set; }
    [JsonPropertyName("conditions")] public EndpointConditions? Conditions { get; set; }
    [JsonPropertyName("nodeName")] public string? NodeName { get; set; }
    [JsonPropertyName("hostname")] public string? Hostname { get; set; }
}

public sealed class EndpointConditions
{
    [JsonPropertyName("ready")] public bool? Ready { get; set; }
    [JsonPropertyName("serving")] public bool? Serving { get; set; }
    [JsonPropertyName("terminating")] public bool? Terminating { get; set; }
}

public sealed class EndpointPort
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }
    [JsonPropertyName("port")] public int? Port { get; set; }
}
