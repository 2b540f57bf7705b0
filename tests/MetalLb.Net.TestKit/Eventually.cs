using Xunit;

namespace MetalLb.Net.TestKit;

/// <summary>Waiting for a condition with a deadline, never for a fixed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    public static async Task True(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        DateTime until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"timed out after {(deadline ?? DefaultDeadline).TotalSeconds:0.#} s waiting for: {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>Polls an asynchronous condition (an API read, a process's output).</summary>
    public static async Task True(Func<Task<bool>> condition, string what, TimeSpan? deadline = null)
    {
        DateTime until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"timed out after {(deadline ?? DefaultDeadline).TotalSeconds:0.#} s waiting for: {what}");
            await Task.Delay(20);
        }
    }
}
