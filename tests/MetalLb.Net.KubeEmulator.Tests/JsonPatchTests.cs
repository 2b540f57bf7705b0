using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Http;
using MetalLb.Net.KubeEmulator.Patching;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>RFC 6902 operations, and the bad patches that must come back as 4xx Status errors.</summary>
public sealed class JsonPatchTests
{
    private const string Doc = """{"metadata":{"labels":{"a":"1"}},"spec":{"list":[1,2,3]}}""";

    public static TheoryData<string, string, string> Cases => new()
    {
        { "add to a map", """[{"op":"add","path":"/metadata/labels/b","value":"2"}]""", """{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"list":[1,2,3]}}""" },
        { "insert and append", """[{"op":"add","path":"/spec/list/0","value":0},{"op":"add","path":"/spec/list/-","value":4}]""", """{"metadata":{"labels":{"a":"1"}},"spec":{"list":[0,1,2,3,4]}}""" },
        { "remove, replace", """[{"op":"remove","path":"/spec/list/1"},{"op":"replace","path":"/metadata/labels/a","value":"x"}]""", """{"metadata":{"labels":{"a":"x"}},"spec":{"list":[1,3]}}""" },
        { "move and copy", """[{"op":"move","from":"/metadata/labels/a","path":"/metadata/labels/z"},{"op":"copy","from":"/spec/list/0","path":"/spec/first"}]""", """{"metadata":{"labels":{"z":"1"}},"spec":{"list":[1,2,3],"first":1}}""" },
        { "escaped key", """[{"op":"add","path":"/metadata/labels/example.com~1x","value":"y"}]""", """{"metadata":{"labels":{"a":"1","example.com/x":"y"}},"spec":{"list":[1,2,3]}}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Applies(string name, string patch, string expected)
    {
        var result = JsonPatch.Apply(JsonNode.Parse(Doc)!, JsonNode.Parse(patch));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), $"{name}: {result.ToJsonString()}");
    }

    [Theory]
    [InlineData("""[{"op":"add","path":"metadata/labels","value":1}]""", 400)] // found by BadInputTests: no leading slash
    [InlineData("""[{"op":"remove","path":"/nope"}]""", 422)]
    [InlineData("""[{"op":"test","path":"/metadata/labels/a","value":"2"}]""", 422)]
    [InlineData("""[{"op":"jump","path":"/a"}]""", 400)]
    [InlineData("""{"op":"add"}""", 400)]
    public void Bad_patches_are_client_errors(string patch, int code)
    {
        var e = Assert.Throws<ApiException>(() => JsonPatch.Apply(JsonNode.Parse(Doc)!, JsonNode.Parse(patch)));
        Assert.Equal(code, e.Code);
    }
}
