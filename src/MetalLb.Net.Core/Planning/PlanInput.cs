using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Planning;

/// <summary>
/// The objects a plan reads, in input order, plus the options the live daemons have as flags:
/// the MetalLB namespace, --lb-class, and the BGP mode whose rules apply.
/// </summary>
public sealed record PlanInput(IReadOnlyList<KubeObject> Objects)
{
    public string Namespace { get; init; } = "metallb-system";
    public string? LoadBalancerClass { get; init; }
    public BgpMode Mode { get; init; } = BgpMode.FrrK8s;
}
