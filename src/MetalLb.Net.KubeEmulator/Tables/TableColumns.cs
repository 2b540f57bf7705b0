using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Tables;

/// <summary>
/// The columns `kubectl get` shows for each kind: the built-in printers' columns for the kinds
/// we serve (Service's TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S)), and for custom resources the
/// CRD's additionalPrinterColumns, then AGE.
/// </summary>
internal static class TableColumns
{
    private static readonly TableColumn NameColumn = new("Name", "string", "name", 0, (o, _) => Meta.Name(o));
    private static readonly TableColumn AgeColumn = new("Age", "string", "", 0, Age.Of);

    public static IReadOnlyList<TableColumn> For(ResourceType type, string version)
    {
        if (type.IsCustom)
            return Custom(type, version);
        return type.Kind switch
        {
            "Service" => [NameColumn, Str("Type", "spec", "type"), Str("Cluster-IP", "spec", "clusterIP"),
                new("External-IP", "string", "", 0, (o, _) => ServiceColumns.ExternalIp(o)),
                new("Port(s)", "string", "", 0, (o, _) => ServiceColumns.Ports(o)), AgeColumn,
                new("Selector", "string", "", 1, (o, _) => ServiceColumns.Selector(o))],
            "Namespace" => [NameColumn, Str("Status", "status", "phase"), AgeColumn],
            "Node" => [NameColumn, new("Status", "string", "", 0, (o, _) => NodeReady(o)),
                new("Roles", "string", "", 0, (_, _) => "<none>"), AgeColumn, Str("Version", "status", "nodeInfo", "kubeletVersion")],
            "Pod" => [NameColumn, Str("Status", "status", "phase"), Str("Node", "spec", "nodeName"), AgeColumn],
            "CustomResourceDefinition" => [NameColumn, new("Created At", "date", "", 0, (o, _) => Meta.Str(o, "metadata", "creationTimestamp"))],
            "Lease" => [NameColumn, Str("Holder", "spec", "holderIdentity"), AgeColumn],
            _ => [NameColumn, AgeColumn],
        };
    }

    private static List<TableColumn> Custom(ResourceType type, string version)
    {
        var columns = new List<TableColumn> { NameColumn };
        bool hasAge = false;
        if (type.PrinterColumns.TryGetValue(version, out var defined))
        {
            foreach (var c in defined.OfType<JsonObject>())
            {
                var name = Meta.Str(c, "name") ?? "";
                var path = Meta.Str(c, "jsonPath") ?? "";
                hasAge |= path == ".metadata.creationTimestamp";
                var colType = Meta.Str(c, "type") ?? "string";
                columns.Add(new TableColumn(name, colType, Meta.Str(c, "format") ?? "",
                    c["priority"]?.GetValue<int>() ?? 0, (o, _) => JsonPathCell(o, path)));
            }
        }
        if (!hasAge)
            columns.Add(AgeColumn);
        return columns;
    }

    /// <summary>A simple ".a.b" JSON path as the real server prints it: scalars as they are, lists and maps as JSON.</summary>
    private static JsonNode? JsonPathCell(JsonObject obj, string path)
    {
        var node = Meta.At(obj, path.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries));
        return node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.DeepClone(),
            _ => node.ToJsonString(),
        };
    }

    private static TableColumn Str(string name, params string[] path) =>
        new(name, "string", "", 0, (o, _) => Meta.Str(o, path) ?? "<none>");

    private static string NodeReady(JsonObject node)
    {
        var ready = (Meta.At(node, "status", "conditions") as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => Meta.Str(c, "type") == "Ready");
        return Meta.Str(ready, "status") == "True" ? "Ready" : ready is null ? "Unknown" : "NotReady";
    }

    internal static string Format(int n) => n.ToString(CultureInfo.InvariantCulture);
}
