namespace MetalLb.Net.Core.Config;

/// <summary>A validated BFDProfile, defaults applied (300 ms, ×3, echo 50 ms, TTL 254).</summary>
public sealed record BfdProfileConfig(
    string Name,
    uint ReceiveIntervalMs,
    uint TransmitIntervalMs,
    uint DetectMultiplier,
    uint EchoIntervalMs,
    bool EchoMode,
    bool PassiveMode,
    uint MinimumTtl);
