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

    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="condition"/> holds and returns that
    /// value. On timeout the failure shows the last value seen and <paramref name="describe"/>'s
    /// account of the system (process logs, a router's view), which tells a slow system from a
    /// wrong one.
    /// </summary>
    public static async Task<T> Value<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, Func<string> describe,
        TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(describe);
        var limit = deadline ?? DefaultDeadline;
        DateTime until = DateTime.UtcNow + limit;
        var last = await probe();
        while (!condition(last))
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"timed out after {limit.TotalSeconds:0.#} s waiting for {what}; last seen: {Show(last)}\n{describe()}");
            await Task.Delay(100);
            last = await probe();
        }
        return last;
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object?>()) + "]",
        _ => value.ToString() ?? "",
    };
}
