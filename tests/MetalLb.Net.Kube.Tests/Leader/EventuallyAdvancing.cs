using Microsoft.Extensions.Time.Testing;

namespace MetalLb.Net.Kube.Tests.Leader;

/// <summary>
/// Kept here, not in TestKit: only the lease tests wait on a fake clock, and they must move it
/// in small steps while they wait (TestKit's Eventually only polls real time).
/// </summary>
internal static class EventuallyAdvancing
{
    /// <summary>Moves a fake clock in small steps until the condition holds (each step lets async work run).</summary>
    public static async Task True(FakeTimeProvider clock, TimeSpan step,
        Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        DateTime until = DateTime.UtcNow + (deadline ?? Eventually.DefaultDeadline);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"timed out waiting for: {what}");
            clock.Advance(step);
            await Task.Delay(2);
        }
    }
}
