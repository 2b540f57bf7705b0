using System.Text.Json.Nodes;

namespace MetalLb.Net.Controller.Tests.Webhooks;

/// <summary>AdmissionReview and ConversionReview bodies as the API server sends them.</summary>
internal static class ReviewBodies
{
    public const string Ns = "metallb-system";

    public static JsonObject Pool(string name, params string[] addresses) => new()
    {
        ["apiVersion"] = "metallb.io/v1beta1",
        ["kind"] = "IPAddressPool",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["uid"] = Guid.NewGuid().ToString() },
        ["spec"] = new JsonObject { ["addresses"] = new JsonArray([.. addresses.Select(a => (JsonNode)JsonValue.Create(a))]) },
    };

    public static JsonObject Bfd(string name) => new()
    {
        ["apiVersion"] = "metallb.io/v1beta1",
        ["kind"] = "BFDProfile",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject { ["receiveInterval"] = 300 },
    };

    public static JsonObject LegacyPeer(string name) => new()
    {
        ["apiVersion"] = "metallb.io/v1beta1",
        ["kind"] = "BGPPeer",
        ["metadata"] = new JsonObject
        {
            ["name"] = name, ["namespace"] = Ns, ["uid"] = "6f1f3c1e-0000-4000-8000-000000000001", ["resourceVersion"] = "42",
            ["labels"] = new JsonObject { ["team"] = "net" },
            ["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "kubectl", ["operation"] = "Apply" }),
        },
        ["spec"] = new JsonObject
        {
            ["myASN"] = 64500, ["peerASN"] = 64501, ["peerAddress"] = "192.0.2.1", ["peerPort"] = 1179, ["holdTime"] = "90s",
            ["nodeSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { ["rack"] = "r1" } }),
        },
    };

    /// <summary>An admission.k8s.io/v1 AdmissionReview for <paramref name="obj"/>.</summary>
    public static JsonObject Admission(string operation, JsonObject obj, string? uid = null)
    {
        string apiVersion = (string)obj["apiVersion"]!;
        var request = new JsonObject
        {
            ["uid"] = uid ?? Guid.NewGuid().ToString(),
            ["kind"] = new JsonObject { ["group"] = "metallb.io", ["version"] = apiVersion.Split('/')[1], ["kind"] = (string)obj["kind"]! },
            ["resource"] = new JsonObject { ["group"] = "metallb.io", ["version"] = apiVersion.Split('/')[1], ["resource"] = ((string)obj["kind"]!).ToLowerInvariant() + "s" },
            ["name"] = (string?)obj["metadata"]?["name"],
            ["namespace"] = Ns,
            ["operation"] = operation,
            ["userInfo"] = new JsonObject { ["username"] = "kubernetes-admin" },
            ["dryRun"] = false,
        };
        request[operation == "DELETE" ? "oldObject" : "object"] = obj.DeepClone();
        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["request"] = request };
    }

    public static JsonObject Conversion(string desired, params JsonObject[] objects) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "ConversionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = Guid.NewGuid().ToString(),
            ["desiredAPIVersion"] = desired,
            ["objects"] = new JsonArray([.. objects.Select(o => (JsonNode)o.DeepClone())]),
        },
    };
}
