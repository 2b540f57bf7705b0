using System.Net;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Kube.Rest;

/// <summary>
/// Retry a read-modify-write when the server says 409 Conflict (someone wrote in between),
/// with client-go's DefaultRetry: 5 attempts, 10 ms apart, jitter 0.1.
/// </summary>
public static class ConflictRetry
{
    public const int Attempts = 5;
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>Runs <paramref name="attempt"/> until it does not throw 409, at most <see cref="Attempts"/> times.</summary>
    public static async Task<TResult> RunAsync<TResult>(Func<CancellationToken, Task<TResult>> attempt,
        TimeProvider? time = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        time ??= TimeProvider.System;
        for (int i = 1; ; i++)
        {
            try
            {
                return await attempt(ct).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.Conflict && i < Attempts)
            {
                TimeSpan wait = Interval * (1 + 0.1 * Random.Shared.NextDouble());
                await Task.Delay(wait, time, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads the object, applies <paramref name="mutate"/> and writes its status subresource;
    /// on 409 reads again and re-applies, so the change lands on the latest version.
    /// </summary>
    public static Task<T> UpdateStatusAsync<T>(ResourceClient<T> client, string? ns, string name, Action<T> mutate,
        TimeProvider? time = null, CancellationToken ct = default) where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(mutate);
        return RunAsync(async token =>
        {
            T current = await client.GetAsync(ns, name, token).ConfigureAwait(false);
            mutate(current);
            return await client.UpdateStatusAsync(current, token).ConfigureAwait(false);
        }, time, ct);
    }
}
