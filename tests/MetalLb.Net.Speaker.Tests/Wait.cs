namespace MetalLb.Net.Speaker.Tests;

/// <summary>
/// Waiting for a condition with a deadline. Unlike TestKit's Eventually, the failure message
/// shows the last value seen and the lab's state at the moment of failure (process logs,
/// FRR's view), which is what one needs to tell a slow speaker from a wrong one.
/// </summary>
internal static class Wait
{
    /// <summary>
    /// Generous: it guards against a hang, it measures nothing. At load 40 on the shared 2-core
    /// machine a restarted speaker took 45 s from exec to its first answer.
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static async Task<T> ForAsync<T>(Func<T> probe, Func<T, bool> condition, string what, Func<string> describe, TimeSpan? deadline = null) =>
        await ForAsync(() => Task.FromResult(probe()), condition, what, describe, deadline);

    public static async Task<T> ForAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, Func<string> describe, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var until = DateTime.UtcNow + limit;
        var last = await probe();
        while (!condition(last))
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"timed out after {limit.TotalSeconds:0} s waiting for {what}; last seen: {Show(last)}\n{describe()}");
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
