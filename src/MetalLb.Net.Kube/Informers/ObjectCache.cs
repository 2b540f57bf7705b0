using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Kube.Informers;

/// <summary>
/// The informer's store: objects by "namespace/name" key, with a namespace index, a label
/// index ("key=value") and any custom index. Readers get snapshots; one writer (the informer).
/// </summary>
public sealed class ObjectCache<T> where T : KubeObject
{
    public const string NamespaceIndex = "namespace";
    public const string LabelIndex = "label";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _indexes = new(StringComparer.Ordinal);

    public ObjectCache()
    {
        AddIndex(NamespaceIndex, o => [o.Metadata.Namespace ?? ""]);
        AddIndex(LabelIndex, o => o.Metadata.Labels?.Select(l => $"{l.Key}={l.Value}") ?? []);
    }

    public int Count
    {
        get { lock (_gate) return _items.Count; }
    }

    /// <summary>Adds an index; objects already cached are indexed at once.</summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> indexer)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(indexer);
        lock (_gate)
        {
            if (!_indexers.TryAdd(name, indexer))
                throw new ArgumentException($"index {name} already exists", nameof(name));
            _indexes[name] = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var (key, item) in _items)
                Index(name, indexer, key, item);
        }
    }

    public T? Get(string key)
    {
        lock (_gate)
            return _items.GetValueOrDefault(key);
    }

    public IReadOnlyList<T> List()
    {
        lock (_gate)
            return [.. _items.Values];
    }

    /// <summary>Objects whose index <paramref name="indexName"/> yields <paramref name="value"/>.</summary>
    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        lock (_gate)
        {
            if (!_indexes.TryGetValue(indexName, out var index))
                throw new ArgumentException($"no index {indexName}", nameof(indexName));
            return index.TryGetValue(value, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    public IReadOnlyList<T> ByNamespace(string ns) => ByIndex(NamespaceIndex, ns);

    public IReadOnlyList<T> ByLabel(string key, string value) => ByIndex(LabelIndex, $"{key}={value}");

    /// <summary>Stores the object and returns the one it replaced.</summary>
    internal T? Upsert(T item)
    {
        string key = item.Key;
        lock (_gate)
        {
            T? old = RemoveLocked(key);
            _items[key] = item;
            foreach (var (name, indexer) in _indexers)
                Index(name, indexer, key, item);
            return old;
        }
    }

    internal T? Remove(string key)
    {
        lock (_gate)
            return RemoveLocked(key);
    }

    private T? RemoveLocked(string key)
    {
        if (!_items.Remove(key, out T? old))
            return null;
        foreach (var (name, indexer) in _indexers)
        {
            var index = _indexes[name];
            foreach (string value in indexer(old))
            {
                if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                    index.Remove(value);
            }
        }
        return old;
    }

    private void Index(string name, Func<T, IEnumerable<string>> indexer, string key, T item)
    {
        var index = _indexes[name];
        foreach (string value in indexer(item))
        {
            if (!index.TryGetValue(value, out var keys))
                index[value] = keys = new HashSet<string>(StringComparer.Ordinal);
            keys.Add(key);
        }
    }
}
