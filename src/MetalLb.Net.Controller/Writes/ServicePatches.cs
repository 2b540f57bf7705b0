using System.Globalization;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Controller.Reconcile;
using MetalLb.Net.Core.Allocation;

namespace MetalLb.Net.Controller.Writes;

/// <summary>
/// The two requests that move a Service to a <see cref="ServiceState"/>. Status goes by strategic
/// merge patch so our condition merges by type beside other controllers' conditions, while
/// loadBalancer.ingress (an atomic list) is replaced whole; the annotation by JSON merge patch,
/// touching no other annotation. Neither sends fields we do not own, so fields this client does
/// not model survive.
/// </summary>
internal static class ServicePatches
{
    public static string Status(Service current, ServiceState desired, DateTimeOffset now)
    {
        var status = new JsonObject();
        var was = ServiceState.Of(current);
        if (!was.IPs.SequenceEqual(desired.IPs, StringComparer.Ordinal))
        {
            status["loadBalancer"] = new JsonObject
            {
                ["ingress"] = desired.IPs.Count == 0 ? null : new JsonArray([.. desired.IPs.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip })]),
            };
        }
        if (!Equals(was.Condition, desired.Condition))
            status["conditions"] = new JsonArray(ConditionPatch(current, desired.Condition, now));
        return new JsonObject { ["status"] = status }.ToJsonString();
    }

    public static string Annotation(string? pool) =>
        new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { [Annotations.IPAllocatedFromPool] = pool },
            },
        }.ToJsonString();

    private static JsonObject ConditionPatch(Service current, ServiceCondition? desired, DateTimeOffset now)
    {
        if (desired is null)
            return new JsonObject { ["type"] = ServiceCondition.Type, ["$patch"] = "delete" };
        // lastTransitionTime moves only when the status flips, as the API conventions ask.
        var existing = ServiceState.ConditionOf(current);
        DateTimeOffset since = existing is { LastTransitionTime: { } t } && existing.Status == desired.Status ? t : now;
        var c = new JsonObject
        {
            ["type"] = ServiceCondition.Type,
            ["status"] = desired.Status,
            ["reason"] = desired.Reason,
            ["message"] = desired.Message,
            ["lastTransitionTime"] = since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        if (current.Metadata.Generation is { } generation)
            c["observedGeneration"] = generation;
        return c;
    }
}
