using System.Globalization;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// gadgets.example.com: v1 (storage) has spec.size, v2 has spec.label "size-N"; conversion is a
/// webhook at /convert on the test's webhook server (service webhooks/webhook).
/// </summary>
internal static class GadgetCrd
{
    public static string Yaml(string caBundle) => $$$$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: gadgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
          conversion:
            strategy: Webhook
            webhook:
              conversionReviewVersions: ["v1"]
              clientConfig:
                caBundle: {{{{caBundle}}}}
                service: {namespace: webhooks, name: webhook, path: /convert, port: 443}
          versions:
          - name: v1
            served: true
            storage: true
            additionalPrinterColumns: [{name: Size, type: integer, jsonPath: .spec.size}]
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, properties: {size: {type: integer}}}
          - name: v2
            served: true
            storage: false
            additionalPrinterColumns: [{name: Label, type: string, jsonPath: .spec.label}]
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, properties: {label: {type: string}}}
        """;

    public static string V2(string name, int size) => $"""
        apiVersion: example.com/v2
        kind: Gadget
        metadata:
          name: {name}
          namespace: default
        spec:
          label: size-{size}
        """;

    /// <summary>A correct conversion webhook: v1 size N is v2 label "size-N" and back.</summary>
    public static JsonObject Convert(JsonObject review)
    {
        var request = review["request"]!;
        var desired = request["desiredAPIVersion"]!.GetValue<string>();
        var converted = new JsonArray();
        foreach (var o in request["objects"]!.AsArray())
        {
            var obj = (JsonObject)o!.DeepClone();
            var spec = obj["spec"] as JsonObject ?? [];
            obj["spec"] = desired == "example.com/v2"
                ? new JsonObject { ["label"] = $"size-{spec["size"]?.GetValue<long>() ?? 0}" }
                : new JsonObject { ["size"] = long.Parse(spec["label"]!.GetValue<string>()["size-".Length..], CultureInfo.InvariantCulture) };
            obj["apiVersion"] = desired;
            converted.Add(obj);
        }
        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "ConversionReview",
            ["response"] = new JsonObject
            {
                ["uid"] = request["uid"]!.GetValue<string>(),
                ["convertedObjects"] = converted,
                ["result"] = new JsonObject { ["status"] = "Success" },
            },
        };
    }
}
