using System.Reflection;
using System.Text.Json.Serialization;
using MetalLb.Net.Api.Crds;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.Tests.Crds;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Api.Tests;

/// <summary>
/// The model and the committed CRDs cannot drift apart: every JSON property of every model
/// type is in the schema (checked against the files on disk, not just the generator output).
/// </summary>
[Collection(CrdFilesCollection.Name)]
public sealed class CrdModelDriftTests
{
    public static TheoryData<string> RootTypes =>
        [.. typeof(CrdGenerator).Assembly.GetTypes().Where(IsRoot).Select(t => t.FullName!)];

    [Fact]
    public void Every_metallb_kind_is_a_CRD_root()
    {
        var kinds = typeof(CrdGenerator).Assembly.GetTypes()
            .Where(t => t.Namespace == "MetalLb.Net.Api.MetalLb" && t.IsSubclassOf(typeof(KubeObject)));

        Assert.All(kinds, t => Assert.True(IsRoot(t), $"{t.Name} has no [CrdKind]/[CrdVersion]"));
    }

    [Theory]
    [MemberData(nameof(RootTypes))]
    public void Every_json_property_is_in_the_committed_schema(string typeName)
    {
        var type = typeof(CrdGenerator).Assembly.GetType(typeName)!;
        var kind = type.GetCustomAttribute<CrdKindAttribute>()!;
        var version = type.GetCustomAttribute<CrdVersionAttribute>()!;
        var path = Path.Combine(RepoPaths.Crds, $"metallb.io_{kind.Plural}.yaml");
        var crd = ParsedCrd.Parse(new CrdManifest(Path.GetFileName(path), File.ReadAllText(path)));
        var missing = new List<string>();

        Walk(type, crd.Schema(version.Name), kind.Kind, missing);

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(RootTypes))]
    public void Every_spec_and_status_field_is_described(string typeName)
    {
        var type = typeof(CrdGenerator).Assembly.GetType(typeName)!;
        var kind = type.GetCustomAttribute<CrdKindAttribute>()!;
        var schema = ParsedCrd.ForPlural(kind.Plural).Schema(type.GetCustomAttribute<CrdVersionAttribute>()!.Name);
        var undescribed = new List<string>();

        CollectUndescribed(schema, kind.Kind, undescribed);

        Assert.Empty(undescribed);
    }

    private static bool IsRoot(Type t) =>
        t.IsDefined(typeof(CrdKindAttribute)) && t.IsDefined(typeof(CrdVersionAttribute));

    private static void Walk(Type type, Dictionary<object, object> schema, string where, List<string> missing)
    {
        var properties = schema.TryGetValue("properties", out var p) ? (Dictionary<object, object>)p : [];
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (name is null)
                continue;
            if (!properties.TryGetValue(name, out var child))
            {
                missing.Add($"{where}.{name}");
                continue;
            }
            var (elementType, node) = Element(property.PropertyType, (Dictionary<object, object>)child);
            if (elementType != typeof(ObjectMeta) && IsModelObject(elementType))
                Walk(elementType, node, $"{where}.{name}", missing);
        }
    }

    // Lists are checked through their items: List<LabelSelector> → LabelSelector vs items.
    private static (Type Type, Dictionary<object, object> Node) Element(Type type, Dictionary<object, object> node)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)
            ? Element(type.GetGenericArguments()[0], ParsedCrd.Map(node, "items"))
            : (type, node);
    }

    private static bool IsModelObject(Type type) =>
        type.IsClass && type != typeof(string) && !type.IsGenericType;

    private static void CollectUndescribed(Dictionary<object, object> node, string where, List<string> undescribed)
    {
        if (!node.TryGetValue("properties", out var properties))
            return;
        foreach (var (name, value) in (Dictionary<object, object>)properties)
        {
            var child = (Dictionary<object, object>)value;
            if ((string)name == "metadata")
                continue; // the API server describes metadata itself
            if (!child.ContainsKey("description"))
                undescribed.Add($"{where}.{name}");
            CollectUndescribed(child, $"{where}.{name}", undescribed);
            if (child.TryGetValue("items", out var items))
                CollectUndescribed((Dictionary<object, object>)items, $"{where}.{name}[]", undescribed);
        }
    }
}
