using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Store;

/// <summary>
/// One committed change. Objects in events are never mutated after commit, so many watchers can
/// serialize the same instance. Previous lets a filtered watch turn a MODIFIED that leaves or
/// enters its selector into DELETED or ADDED, as the real server's watch cache does.
/// </summary>
internal sealed record StoredEvent(long ResourceVersion, string TypeKey, WatchEventType Type, JsonObject Object, JsonObject? Previous);
