using MetalLb.Net.Core.Announcement;

namespace MetalLb.Net.Core.Tests.Announcement;

public sealed class LoadBalancerClassFilterTests
{
    // Upstream service_controller filterByLoadBalancerClass (docs/upstream-speaker.md §1).
    public static TheoryData<string, string?, string?, bool> Cases => new()
    {
        { "no --lb-class, service without class: ours", null, null, true },
        { "no --lb-class, service with a class: someone else's", "other.io/lb", null, false },
        { "blank --lb-class counts as unset", null, "", true },
        { "--lb-class set, service without class: not ours", null, "metallb.io/lb", false },
        { "--lb-class set, same class: ours", "metallb.io/lb", "metallb.io/lb", true },
        { "--lb-class set, other class: not ours", "other.io/lb", "metallb.io/lb", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Handles(string because, string? serviceClass, string? ourClass, bool expected) =>
        Assert.True(expected == LoadBalancerClassFilter.Handles(serviceClass, ourClass), because);
}
