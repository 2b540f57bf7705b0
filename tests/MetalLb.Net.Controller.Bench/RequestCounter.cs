using System.Collections.Concurrent;
using System.Diagnostics;

namespace MetalLb.Net.Controller.Bench;

/// <summary>
/// Counts the emulator's requests by verb, resource and status code, from its RequestLog line
/// ("PATCH /api/v1/namespaces/bench/services/svc-00001/status [type] -> 200"), so the
/// controller's writes can be counted without touching the controller.
/// </summary>
internal sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private long _last = Stopwatch.GetTimestamp();

    // Per kind of request, when the first and the last of them finished: the timeline of a run.
    private readonly ConcurrentDictionary<string, (long First, long Last)> _times = new(StringComparer.Ordinal);

    public void OnRequest(string line)
    {
        long now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _last, now);
        string key = Key(line);
        _counts.AddOrUpdate(key, 1, (_, n) => n + 1);
        _times.AddOrUpdate(key, (now, now), (_, t) => (t.First, now));
    }

    /// <summary>Forgets the timeline so far, just before the timed work starts.</summary>
    public void StartTimeline() => _times.Clear();

    /// <summary>Per kind of request since <see cref="StartTimeline"/>: when the first and the last finished, in ms from <paramref name="from"/>.</summary>
    public IReadOnlyDictionary<string, (double FirstMs, double LastMs)> Timeline(long from) =>
        _times.ToDictionary(
            kv => kv.Key,
            kv => (Stopwatch.GetElapsedTime(from, kv.Value.First).TotalMilliseconds, Stopwatch.GetElapsedTime(from, kv.Value.Last).TotalMilliseconds),
            StringComparer.Ordinal);

    /// <summary>How long since the last request finished.</summary>
    public TimeSpan Idle => Stopwatch.GetElapsedTime(Volatile.Read(ref _last));

    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_counts, StringComparer.Ordinal);

    /// <summary>Requests counted since <paramref name="before"/>, by key.</summary>
    public IReadOnlyDictionary<string, int> Since(IReadOnlyDictionary<string, int> before) =>
        Snapshot().Select(kv => (kv.Key, Count: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(kv => kv.Count > 0)
            .ToDictionary(kv => kv.Key, kv => kv.Count, StringComparer.Ordinal);

    /// <summary>Waits until no request has finished for <paramref name="quiet"/> (watches count only when they end), at most <paramref name="limit"/>.</summary>
    public async Task SettleAsync(TimeSpan quiet, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (Idle < quiet && waited.Elapsed < limit)
            await Task.Delay(50).ConfigureAwait(false);
    }

    // "VERB resource[/subresource][ (watch)] -> code"; names and namespaces dropped.
    private static string Key(string line)
    {
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        int arrow = line.LastIndexOf("-> ", StringComparison.Ordinal);
        if (space < 0 || arrow < 0)
            return "other";
        string verb = line[..space];
        string target = line[(space + 1)..].Split(' ')[0];
        string code = line[(arrow + 3)..].Trim();
        int q = target.IndexOf('?', StringComparison.Ordinal);
        bool watch = q >= 0 && target[q..].Contains("watch=true", StringComparison.Ordinal);
        string[] s = (q >= 0 ? target[..q] : target).Split('/', StringSplitOptions.RemoveEmptyEntries);
        // /api/v1/... or /apis/<group>/<version>/...; then namespaces/<ns>/ for namespaced kinds.
        string[] rest = s.Length > 1 && s[0] == "api" ? s[2..] : s.Length > 2 && s[0] == "apis" ? s[3..] : s;
        if (rest.Length >= 3 && rest[0] == "namespaces")
            rest = rest[2..];
        string resource = rest.Length == 0 ? string.Join('/', s) : rest.Length >= 3 ? $"{rest[0]}/{rest[2]}" : rest[0];
        return $"{verb} {resource}{(watch ? " (watch)" : "")} -> {code}";
    }
}
