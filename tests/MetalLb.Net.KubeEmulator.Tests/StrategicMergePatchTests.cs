using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Patching;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>Strategic merge patch directives as kubectl sends them, on the core types' merge keys.</summary>
public sealed class StrategicMergePatchTests
{
    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        {
            "ports merge by port, $setElementOrder orders them",
            "Service",
            """{"spec":{"ports":[{"port":80,"name":"http","nodePort":30001},{"port":443,"name":"https"}]}}""",
            """{"spec":{"$setElementOrder/ports":[{"port":443},{"port":80}],"ports":[{"port":80,"name":"web"}]}}""",
            """{"spec":{"ports":[{"port":443,"name":"https"},{"port":80,"name":"web","nodePort":30001}]}}"""
        },
        {
            "$patch delete removes one list item",
            "Service",
            """{"spec":{"ports":[{"port":80},{"port":81}]}}""",
            """{"spec":{"ports":[{"port":81,"$patch":"delete"}]}}""",
            """{"spec":{"ports":[{"port":80}]}}"""
        },
        {
            "containers by name, env by name inside them",
            "Pod",
            """{"spec":{"containers":[{"name":"a","image":"x:1","env":[{"name":"K","value":"1"}]},{"name":"b","image":"y"}]}}""",
            """{"spec":{"containers":[{"name":"a","image":"x:2","env":[{"name":"L","value":"2"}]}]}}""",
            """{"spec":{"containers":[{"name":"a","image":"x:2","env":[{"name":"K","value":"1"},{"name":"L","value":"2"}]},{"name":"b","image":"y"}]}}"""
        },
        {
            "conditions by type",
            "Node",
            """{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"DiskPressure","status":"False"}]}}""",
            """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""",
            """{"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"DiskPressure","status":"False"}]}}"""
        },
        {
            "lists without a merge key are replaced",
            "Service",
            """{"spec":{"externalIPs":["192.0.2.1","192.0.2.2"]}}""",
            """{"spec":{"externalIPs":["192.0.2.3"]}}""",
            """{"spec":{"externalIPs":["192.0.2.3"]}}"""
        },
        {
            "finalizers merge, $deleteFromPrimitiveList removes",
            "ConfigMap",
            """{"metadata":{"finalizers":["a","b"]}}""",
            """{"metadata":{"finalizers":["c"],"$deleteFromPrimitiveList/finalizers":["a"]}}""",
            """{"metadata":{"finalizers":["b","c"]}}"""
        },
        {
            "null deletes a field, $retainKeys keeps only the named ones",
            "Service",
            """{"spec":{"type":"NodePort","sessionAffinity":"None","selector":{"a":"b"}}}""",
            """{"spec":{"$retainKeys":["type","selector"],"type":"ClusterIP","selector":null}}""",
            """{"spec":{"type":"ClusterIP"}}"""
        },
        {
            "$patch replace on a map replaces it",
            "Service",
            """{"spec":{"selector":{"a":"1","b":"2"}}}""",
            """{"spec":{"selector":{"$patch":"replace","c":"3"}}}""",
            """{"spec":{"selector":{"c":"3"}}}"""
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Applies(string name, string kind, string original, string patch, string expected)
    {
        var result = StrategicMergePatch.Apply((JsonObject)JsonNode.Parse(original)!, (JsonObject)JsonNode.Parse(patch)!, kind);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), $"{name}: got {result.ToJsonString()}");
    }
}
