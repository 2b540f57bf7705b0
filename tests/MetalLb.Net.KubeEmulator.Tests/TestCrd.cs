using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>A small CRD (widgets.example.com) whose schema uses every rule the validator knows.</summary>
internal static class TestCrd
{
    public const string Path = "apis/example.com/v1/namespaces/default/widgets";

    public static JsonObject Definition() => (JsonObject)JsonNode.Parse("""
    {
      "apiVersion": "apiextensions.k8s.io/v1",
      "kind": "CustomResourceDefinition",
      "metadata": { "name": "widgets.example.com" },
      "spec": {
        "group": "example.com",
        "scope": "Namespaced",
        "names": { "plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList", "shortNames": ["wd"] },
        "versions": [{
          "name": "v1", "served": true, "storage": true,
          "subresources": { "status": {} },
          "additionalPrinterColumns": [{ "name": "Size", "type": "integer", "jsonPath": ".spec.size" }],
          "schema": { "openAPIV3Schema": {
            "type": "object",
            "properties": {
              "apiVersion": { "type": "string" }, "kind": { "type": "string" }, "metadata": { "type": "object" },
              "spec": {
                "type": "object",
                "required": ["size"],
                "properties": {
                  "size": { "type": "integer", "minimum": 1, "maximum": 10 },
                  "colour": { "type": "string", "enum": ["red", "blue"], "default": "red" },
                  "enabled": { "type": "boolean" },
                  "id": { "type": "string", "x-kubernetes-validations": [{ "rule": "self == oldSelf", "message": "id is immutable" }] },
                  "tags": { "type": "array", "items": { "type": "string", "maxLength": 5 } },
                  "free": { "type": "object", "x-kubernetes-preserve-unknown-fields": true }
                }
              },
              "status": { "type": "object", "properties": { "ready": { "type": "boolean" } } }
            }
          } }
        }]
      }
    }
    """)!;

    public static JsonObject Widget(string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec,
    };
}
