using System.Collections.Concurrent;

namespace MetalLb.Net.Hosting;

/// <summary>
/// What /readyz reports: each component names a condition and marks it ready (informers
/// synced, configuration loaded, ...). Ready only when every named condition is. A condition
/// that is not ready may say why, and /readyz shows it.
/// </summary>
public sealed class ReadinessGate
{
    private readonly ConcurrentDictionary<string, (bool Ready, string? Reason)> _conditions = new(StringComparer.Ordinal);

    /// <summary>Declares a condition that starts not ready.</summary>
    public void Require(string name) => _conditions.TryAdd(name, (false, null));

    public void Set(string name, bool ready) => _conditions[name] = (ready, null);

    /// <summary>As <see cref="Set(string, bool)"/>, with why it is not ready (shown by /readyz).</summary>
    public void Set(string name, bool ready, string? reason) => _conditions[name] = (ready, ready ? null : reason);

    public bool IsReady => _conditions.Values.All(v => v.Ready);

    /// <summary>The names of conditions not yet ready, sorted.</summary>
    public IReadOnlyList<string> Pending =>
        _conditions.Where(kv => !kv.Value.Ready).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>The conditions not yet ready, sorted, each as "name" or "name (reason)".</summary>
    public IReadOnlyList<string> PendingWithReasons =>
        _conditions.Where(kv => !kv.Value.Ready).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Value.Reason is { Length: > 0 } r ? $"{kv.Key} ({r})" : kv.Key).ToList();
}
