using MetalLb.Net.TestKit;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>TestKit's <see cref="Eventually.Value{T}"/> with the cluster lab's deadline.</summary>
internal static class Wait
{
    /// <summary>
    /// Generous: it guards against a hang, it measures nothing. At load 40 on the shared 2-core
    /// machine a restarted speaker took 45 s from exec to its first answer.
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static Task<T> ForAsync<T>(Func<T> probe, Func<T, bool> condition, string what, Func<string> describe, TimeSpan? deadline = null) =>
        Eventually.Value(() => Task.FromResult(probe()), condition, what, describe, deadline ?? Deadline);

    public static Task<T> ForAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, Func<string> describe, TimeSpan? deadline = null) =>
        Eventually.Value(probe, condition, what, describe, deadline ?? Deadline);
}
