namespace MetalLb.Net.KubeEmulator.Schema;

/// <summary>A rule the CEL subset cannot parse, or a runtime error (no such key, wrong type).</summary>
internal sealed class CelException(string message) : Exception(message);
