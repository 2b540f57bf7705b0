using System.Text.Json.Nodes;
using MetalLb.Net.Api.Serialization;

namespace MetalLb.Net.Api.Manifests;

/// <summary>What to say about an apiVersion/kind pair the project does not read.</summary>
internal static class KindProblems
{
    public static void Report(string apiVersion, string kind, JsonObject obj, string file, int line, ManifestReadResult result)
    {
        string group = KindRegistry.GroupOf(apiVersion);
        var versions = KindRegistry.VersionsOf(kind).ToList();
        if (versions.Count > 0)
        {
            result.Errors.Add(new(file, line, $"{kind} is not served as {apiVersion}; use apiVersion {string.Join(" or ", versions)}"));
            return;
        }
        if (group is "metallb.io" or "metallb.universe.tf")
        {
            string hint = kind switch
            {
                "AddressPool" => "AddressPool was removed from MetalLB; write an IPAddressPool plus an L2Advertisement or BGPAdvertisement instead",
                _ => $"metallb.io has no kind {kind}; known kinds: {string.Join(", ", KindRegistry.MetalLbKinds)}",
            };
            result.Errors.Add(new(file, line, hint));
            return;
        }
        if (kind == "ConfigMap" && obj["data"] is JsonObject data && data.ContainsKey("config")
            && (obj["metadata"]?["name"]?.GetValue<string>() == "config"))
        {
            result.Warnings.Add(new(file, line, "ConfigMap \"config\" looks like MetalLB's pre-0.13 configuration, which MetalLB no longer reads; convert it to IPAddressPool and advertisement objects"));
            return;
        }
        result.Warnings.Add(new(file, line, $"ignored: {kind} ({apiVersion}) is not read by metallb-net"));
    }
}
