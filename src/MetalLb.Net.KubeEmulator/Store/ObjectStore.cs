using System.Globalization;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Store;

/// <summary>
/// Every object of every type, one global resourceVersion counter (like etcd's revision), and a
/// bounded history of events so a watch can resume from a recent resourceVersion and an older
/// one is answered with 410 Expired. Callers hold <see cref="Gate"/> around read-check-commit
/// sequences (an update's conflict check and its commit are one step).
/// </summary>
internal sealed class ObjectStore(int historyLimit)
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly LinkedList<StoredEvent> _history = new();
    private readonly List<Watcher> _watchers = [];
    private long _revision;
    private long _compactedThrough;

    public object Gate { get; } = new();

    public long Revision
    {
        get { lock (Gate) return _revision; }
    }

    /// <summary>Events with a resourceVersion at or below this are gone from the history.</summary>
    public long CompactedThrough
    {
        get { lock (Gate) return _compactedThrough; }
    }

    public JsonObject? Get(string typeKey, string? ns, string name)
    {
        lock (Gate)
            return _objects.TryGetValue(typeKey, out var byKey) && byKey.TryGetValue(Meta.Key(ns, name), out var o) ? o : null;
    }

    /// <summary>A consistent snapshot, ordered by namespace/name (the order continue tokens rely on).</summary>
    public (List<KeyValuePair<string, JsonObject>> Items, long Revision) List(string typeKey, string? ns)
    {
        lock (Gate)
        {
            var items = new List<KeyValuePair<string, JsonObject>>();
            if (_objects.TryGetValue(typeKey, out var byKey))
            {
                foreach (var kv in byKey)
                {
                    if (ns is null || Meta.Namespace(kv.Value) == ns)
                        items.Add(kv);
                }
            }
            return (items, _revision);
        }
    }

    /// <summary>
    /// Stores (or, for Deleted, removes) the object under a new resourceVersion and tells every
    /// watcher. The object must not be changed by the caller afterwards.
    /// </summary>
    public JsonObject Commit(string typeKey, WatchEventType type, JsonObject obj, JsonObject? previous)
    {
        lock (Gate)
        {
            Materialize(obj);
            var rv = ++_revision;
            Meta.Metadata(obj)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            var key = Meta.Key(Meta.Namespace(obj), Meta.Name(obj));
            if (!_objects.TryGetValue(typeKey, out var byKey))
                _objects[typeKey] = byKey = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            if (type == WatchEventType.Deleted)
                byKey.Remove(key);
            else
                byKey[key] = obj;
            var e = new StoredEvent(rv, typeKey, type, obj, previous);
            _history.AddLast(e);
            while (_history.Count > historyLimit)
            {
                _compactedThrough = _history.First!.Value.ResourceVersion;
                _history.RemoveFirst();
            }
            foreach (var w in _watchers)
            {
                if (w.TypeKey == typeKey)
                    w.Events.Writer.TryWrite(e);
            }
            return obj;
        }
    }

    /// <summary>
    /// Parsed JsonObjects and JsonArrays build their children lazily on first access, which is
    /// not safe when several watchers read one stored object at once; walking the tree once
    /// here, under the lock, builds everything so later reads only read.
    /// </summary>
    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                    Materialize(child);
                break;
            case JsonArray a:
                foreach (var child in a)
                    Materialize(child);
                break;
        }
    }

    /// <summary>Forgets the whole history: any watch or continue from before now gets 410.</summary>
    public void Compact()
    {
        lock (Gate)
        {
            _history.Clear();
            _compactedThrough = _revision;
        }
    }

    /// <summary>
    /// Opens a watch. With <paramref name="fromRevision"/> null the watcher first gets a
    /// synthetic ADDED per existing object (a watch without resourceVersion, or with "0");
    /// otherwise every retained event after it. Null result: that resourceVersion is too old.
    /// </summary>
    public Watcher? Watch(string typeKey, long? fromRevision)
    {
        lock (Gate)
        {
            if (fromRevision is { } from && from < _compactedThrough)
                return null;
            var w = new Watcher(typeKey);
            if (fromRevision is { } since)
            {
                foreach (var e in _history)
                {
                    if (e.ResourceVersion > since && e.TypeKey == typeKey)
                        w.Events.Writer.TryWrite(e);
                }
            }
            else if (_objects.TryGetValue(typeKey, out var byKey))
            {
                foreach (var o in byKey.Values)
                    w.Events.Writer.TryWrite(new StoredEvent(Meta.ResourceVersion(o), typeKey, WatchEventType.Added, o, null));
            }
            _watchers.Add(w);
            return w;
        }
    }

    /// <summary>Queues a BOOKMARK behind every event already queued, so its resourceVersion is safe to resume from.</summary>
    public void Bookmark(Watcher watcher, bool initialEventsEnd = false)
    {
        lock (Gate)
        {
            JsonObject marker = initialEventsEnd ? new JsonObject { ["initialEventsEnd"] = true } : [];
            watcher.Events.Writer.TryWrite(new StoredEvent(_revision, watcher.TypeKey, WatchEventType.Bookmark, marker, null));
        }
    }

    public void BookmarkAll()
    {
        lock (Gate)
        {
            foreach (var w in _watchers)
                w.Events.Writer.TryWrite(new StoredEvent(_revision, w.TypeKey, WatchEventType.Bookmark, [], null));
        }
    }

    public void Unwatch(Watcher watcher)
    {
        lock (Gate)
            _watchers.Remove(watcher);
    }

    public int CutWatches()
    {
        lock (Gate)
        {
            foreach (var w in _watchers)
                w.CutNow();
            return _watchers.Count;
        }
    }

    public int OpenWatches
    {
        get { lock (Gate) return _watchers.Count; }
    }
}
