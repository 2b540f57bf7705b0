using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Tables;

/// <summary>Builds meta.k8s.io/v1 Table responses (what kubectl asks for with ;as=Table).</summary>
internal static class TableWriter
{
    public static JsonObject Table(ResourceType type, string version, IEnumerable<JsonObject> objects, string includeObject, DateTimeOffset now, JsonObject listMeta)
    {
        var columns = TableColumns.For(type, version);
        var rows = new JsonArray();
        foreach (var o in objects)
            rows.Add(Row(columns, o, includeObject, now));
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = listMeta,
            ["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode)c.Definition()).ToArray()),
            ["rows"] = rows,
        };
    }

    private static JsonObject Row(IReadOnlyList<TableColumn> columns, JsonObject obj, string includeObject, DateTimeOffset now)
    {
        var row = new JsonObject { ["cells"] = new JsonArray(columns.Select(c => c.Cell(obj, now)).ToArray()) };
        row["object"] = includeObject switch
        {
            "None" => null,
            "Object" => obj.DeepClone(),
            _ => new JsonObject
            {
                ["kind"] = "PartialObjectMetadata",
                ["apiVersion"] = "meta.k8s.io/v1",
                ["metadata"] = obj["metadata"]?.DeepClone(),
            },
        };
        return row;
    }
}
