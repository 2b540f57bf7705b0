using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Kube.Status;

/// <summary>One condition of a ConfigurationState: its type, whether it holds, why, and what to fix.</summary>
public sealed record StateCondition(string Type, bool Ok, string Reason, string Message);

/// <summary>
/// Writes a component's ConfigurationState (the controller's "controller", each speaker's
/// "speaker-&lt;node&gt;"): created with its labels when missing, then its status patched with
/// Valid or Invalid, the error summary and the conditions, as upstream's reconcilers report.
/// </summary>
public static class ConfigurationStates
{
    public static async Task WriteAsync(ResourceClient<ConfigurationState> client, string ns, string name,
        Dictionary<string, string> labels, bool valid, string errorSummary, IEnumerable<StateCondition> conditions,
        DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(conditions);
        try
        {
            await client.GetAsync(ns, name, ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            await client.CreateAsync(new ConfigurationState
            {
                Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels },
            }, ct).ConfigureAwait(false);
        }
        string time = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["result"] = valid ? "Valid" : "Invalid",
                ["errorSummary"] = errorSummary,
                ["conditions"] = new JsonArray([.. conditions.Select(c => (JsonNode)new JsonObject
                {
                    ["type"] = c.Type,
                    ["status"] = c.Ok ? "True" : "False",
                    ["reason"] = c.Reason,
                    ["message"] = c.Message,
                    ["lastTransitionTime"] = time,
                })]),
            },
        };
        await client.PatchAsync(ns, name, PatchType.Merge, patch.ToJsonString(), subresource: "status", ct: ct).ConfigureAwait(false);
    }
}
