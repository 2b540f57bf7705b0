using MetalLb.Net.Core.Allocation;
using static MetalLb.Net.Core.Tests.Allocation.AllocationFixtures;

namespace MetalLb.Net.Core.Tests.Allocation;

public sealed class ServiceConvergerTests
{
    [Theory]
    [MemberData(nameof(ConvergeCases.Cases), MemberType = typeof(ConvergeCases))]
    public void Converges_as_upstream_does(string name, Scenario scenario)
    {
        var allocator = Allocator(scenario.Pools);
        foreach (var step in scenario.Steps)
        {
            var outcome = ServiceConverger.Converge(allocator, step.Service, step.LbClass);
            string who = $"{name}: {step.Service.Metadata.Name}";
            Assert.True((step.Ips ?? []).SequenceEqual(Ips(outcome)),
                $"{who}: expected [{string.Join(", ", step.Ips ?? [])}], got [{string.Join(", ", Ips(outcome))}] ({outcome.Error?.Message})");
            Assert.True(step.Pending == outcome.Error?.Reason, $"{who}: expected reason {step.Pending}, got {outcome.Error?.Reason} ({outcome.Error?.Message})");
            if (step.Event is { } reason)
                Assert.Contains(outcome.Events, e => e.Reason == reason);
        }
    }
}
