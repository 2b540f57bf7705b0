namespace MetalLb.Net.Bgp.Tests;

/// <summary>Wait for a condition with a deadline; the failure says what never became true.</summary>
/// <remarks>Not TestKit's Eventually: these waits return the last value read and print the peer's state (Diagnostics) on timeout.</remarks>
internal static class Eventually
{
    /// <summary>Extra state to print when a wait times out (peer CLI output, our session status).</summary>
    public static AsyncLocal<Func<string>?> Diagnostics { get; } = new();

    public static async Task<T> WaitAsync<T>(Func<T> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = probe();
        while (!condition(last))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out after {timeout.TotalSeconds}s waiting for {what}; last: {Describe(last)}\n{Diagnostics.Value?.Invoke()}");
            await Task.Delay(50);
            last = probe();
        }
        return last;
    }

    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await probe();
        while (!condition(last))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out after {timeout.TotalSeconds}s waiting for {what}; last: {Describe(last)}\n{Diagnostics.Value?.Invoke()}");
            await Task.Delay(200);
            last = await probe();
        }
        return last;
    }

    private static string Describe(object? value) => value switch
    {
        System.Collections.IDictionary d => "{" + string.Join(", ", d.Keys.Cast<object>()) + "}",
        _ => value?.ToString() ?? "null",
    };
}
