namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>Waiting for a condition with a deadline (never a bare sleep).</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (cts.IsCancellationRequested)
                throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
