namespace MetalLb.Net.Api.Core;

/// <summary>core/v1 Namespace: its labels feed IPAddressPool namespaceSelectors.</summary>
public sealed class Namespace : Meta.KubeObject
{
}
