using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Tables;

/// <summary>One column of a meta.k8s.io/v1 Table: its definition and how to compute its cell.</summary>
internal sealed record TableColumn(string Name, string Type, string Format, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell)
{
    public JsonObject Definition() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Name,
        ["priority"] = Priority,
    };
}
