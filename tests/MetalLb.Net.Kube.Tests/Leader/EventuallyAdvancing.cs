namespace MetalLb.Net.Kube.Tests;

/// <summary>Waiting for a condition with a deadline, never for a fixed time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    public static async Task True(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        DateTime until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>Moves a fake clock in small steps until the condition holds (each step lets async work run).</summary>
    public static async Task TrueAdvancing(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, TimeSpan step,
        Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        DateTime until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"timed out waiting for: {what}");
            clock.Advance(step);
            await Task.Delay(2);
        }
    }
}
