using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Patching;

/// <summary>
/// Server-side apply, simplified to one idea of ownership per field manager: the applied
/// configuration is merged into the live object (lists with a merge key item by item, other
/// lists replaced), and object fields this manager applied last time but left out now are
/// removed. Conflicts between managers and managedFields are not modelled.
/// </summary>
internal static class ApplyPatch
{
    public static JsonObject Apply(JsonObject live, JsonObject applied, JsonObject? previouslyApplied, string kind)
    {
        var result = StrategicMergePatch.Apply(live, applied, kind);
        if (previouslyApplied is not null)
            RemoveDropped(result, previouslyApplied, applied);
        return result;
    }

    private static void RemoveDropped(JsonObject result, JsonObject before, JsonObject now)
    {
        foreach (var (key, old) in before)
        {
            if (!now.TryGetPropertyValue(key, out var current))
                result.Remove(key);
            else if (old is JsonObject oldChild && current is JsonObject newChild && result[key] is JsonObject resultChild)
                RemoveDropped(resultChild, oldChild, newChild);
        }
    }
}
