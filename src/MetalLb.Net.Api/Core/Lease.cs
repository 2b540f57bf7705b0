using System.Text.Json.Serialization;

namespace MetalLb.Net.Api.Core;

/// <summary>coordination.k8s.io/v1 Lease, for leader election.</summary>
public sealed class Lease : Meta.KubeObject
{
    [JsonPropertyName("spec")] public LeaseSpec Spec { get; set; } = new();
}

public sealed class LeaseSpec
{
    [JsonPropertyName("holderIdentity")] public string? HolderIdentity { get; set; }
    [JsonPropertyName("leaseDurationSeconds")] public int? LeaseDurationSeconds { get; set; }
    [JsonPropertyName("acquireTime")] public DateTimeOffset? AcquireTime { get; set; }
    [JsonPropertyName("renewTime")] public DateTimeOffset? RenewTime { get; set; }
    [JsonPropertyName("leaseTransitions")] public int? LeaseTransitions { get; set; }
}
