using System.Collections.Concurrent;

namespace MetalLb.Net.Hosting;

/// <summary>
/// What /readyz reports: each component names a condition and marks it ready (informers
/// synced, configuration loaded, ...). Ready only when every named condition is.
/// </summary>
public sealed class ReadinessGate
{
    private readonly ConcurrentDictionary<string, bool> _conditions = new(StringComparer.Ordinal);

    /// <summary>Declares a condition that starts not ready.</summary>
    public void Require(string name) => _conditions.TryAdd(name, false);

    public void Set(string name, bool ready) => _conditions[name] = ready;

    public bool IsReady => _conditions.Values.All(v => v);

    /// <summary>The names of conditions not yet ready, sorted.</summary>
    public IReadOnlyList<string> Pending =>
        _conditions.Where(kv => !kv.Value).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
}
