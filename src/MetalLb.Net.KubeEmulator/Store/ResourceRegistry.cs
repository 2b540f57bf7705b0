using System.Collections.Immutable;

namespace MetalLb.Net.KubeEmulator.Store;

/// <summary>
/// The resources served right now: the built-ins plus one entry per established CRD. Readers
/// see an immutable snapshot, so discovery and request routing never take a lock.
/// </summary>
internal sealed class ResourceRegistry
{
    private ImmutableDictionary<string, ResourceType> _byKey;
    private int _generation;

    public ResourceRegistry()
    {
        _byKey = BuiltinTypes.All().ToImmutableDictionary(t => t.Key, StringComparer.Ordinal);
    }

    /// <summary>Changes whenever a type is added or removed (OpenAPI and discovery hashes use it).</summary>
    public int Generation => Volatile.Read(ref _generation);

    public IReadOnlyCollection<ResourceType> All => _byKey.Values.ToList();

    public ResourceType? Find(string group, string version, string plural) =>
        _byKey.TryGetValue(group.Length == 0 ? plural : $"{group}/{plural}", out var type) && type.Versions.Contains(version)
            ? type
            : null;

    public ResourceType? FindByKey(string key) => _byKey.GetValueOrDefault(key);

    public void Put(ResourceType type)
    {
        ImmutableInterlocked.Update(ref _byKey, d => d.SetItem(type.Key, type));
        Interlocked.Increment(ref _generation);
    }

    public void Remove(string key)
    {
        ImmutableInterlocked.Update(ref _byKey, d => d.Remove(key));
        Interlocked.Increment(ref _generation);
    }

    /// <summary>Group → versions served, the core group ("") first, then by name.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> GroupVersions() =>
        _byKey.Values
            .GroupBy(t => t.Group, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.SelectMany(t => t.Versions).Distinct(StringComparer.Ordinal).OrderByDescending(Types.KubeVersion.Priority).ToList()))
            .ToList();
}
