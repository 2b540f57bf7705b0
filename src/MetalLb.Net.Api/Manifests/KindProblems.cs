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
                _ when Closest(kind, KindRegistry.MetalLbKinds) is { } guess => $"metallb.io has no kind {kind}; did you mean {guess}?",
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

    /// <summary>The known kind within two edits of a typo (case-insensitive), if one is.</summary>
    private static string? Closest(string kind, IEnumerable<string> known) =>
        known.Select(k => (k, d: Distance(k.ToUpperInvariant(), kind.ToUpperInvariant())))
             .Where(x => x.d <= 2).OrderBy(x => x.d).Select(x => x.k).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diag = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int up = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diag + (a[i - 1] == b[j - 1] ? 0 : 1));
                diag = up;
            }
        }
        return row[b.Length];
    }
}
