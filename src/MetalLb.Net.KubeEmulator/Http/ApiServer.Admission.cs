using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Admission;
using MetalLb.Net.KubeEmulator.Authorization;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Http;

/// <summary>
/// Writes through validating admission and conversion webhooks, as the real server orders them:
/// the registry's defaulting and validation first (a preview, nothing stored), then the
/// validating webhooks (outside the store's lock: a webhook may read the API), then conversion
/// to the storage version, then the commit, which only happens if the stored object is still the
/// one the webhooks judged (else the whole round is repeated, like GuaranteedUpdate's retry).
/// Requests no webhook applies to keep the plain one-step path.
/// </summary>
internal sealed partial class ApiServer
{
    private const int MaxAdmissionRounds = 5;

    /// <summary>One write step on the current object (null when absent), run under the store's gate.</summary>
    private delegate (JsonObject Result, int Code) WriteStep(JsonObject? current, WriteContext w);

    /// <summary>Thrown inside a commit when what would be stored is not what the webhooks saw.</summary>
    private sealed class StaleAdmissionException : Exception;

    private bool NeedsConversion(ApiRequest r) =>
        r.Type.ConversionWebhook is not null && r.Type.StorageVersion is { } storage && storage != r.Version;

    private async Task<(JsonObject Result, int Code)> AdmittedWriteAsync(ApiRequest r, WriteStep step, params string[] operations)
    {
        if (!NeedsConversion(r) && !Validating.MayApply(r.Type, r.Version, r.Subresource, r.Namespace, operations))
        {
            var w = Context(r, r.DryRun);
            (JsonObject, int) done;
            lock (Store.Gate)
                done = step(StoredTarget(r), w);
            AddWarnings(r, w);
            return done;
        }
        var ct = r.Http.RequestAborted;
        for (int round = 1; ; round++)
        {
            var stored = StoredTarget(r);
            var current = stored is null ? null : await ConvertForRequestAsync(r.Type, stored, r.Version, ct);
            var preview = Context(r, dryRun: true);
            (JsonObject Result, int Code) candidate;
            lock (Store.Gate)
            {
                if (!ReferenceEquals(StoredTarget(r), stored))
                    continue;
                candidate = step(current, preview);
            }
            var operation = current is null ? "CREATE" : "UPDATE";
            var warnings = await Validating.ValidateAsync(Attributes(r, operation, candidate.Result, current, r.Http.Request.Query["fieldManager"].ToString()), ct);
            var toStore = NeedsConversion(r) ? await ConvertForRequestAsync(r.Type, candidate.Result, r.Type.StorageVersion!, ct) : null;
            if (r.DryRun)
            {
                AddWarnings(r, preview, warnings);
                return candidate;
            }
            var final = Context(r, dryRun: false) with
            {
                Preview = candidate.Result,
                ToStorage = toStore is null ? null : obj => JsonNode.DeepEquals(obj, candidate.Result) ? toStore : throw new StaleAdmissionException(),
            };
            try
            {
                (JsonObject, int) done;
                lock (Store.Gate)
                {
                    if (!ReferenceEquals(StoredTarget(r), stored))
                        throw new StaleAdmissionException();
                    done = step(current, final);
                }
                AddWarnings(r, final, warnings);
                return done;
            }
            catch (StaleAdmissionException) when (round < MaxAdmissionRounds)
            {
                // The object changed while the webhooks looked at it: judge the new one.
            }
            catch (StaleAdmissionException)
            {
                throw ApiException.Conflict(r.Type, r.Name ?? "");
            }
        }
    }

    /// <summary>
    /// A delete (or one item of a deletecollection) through validating admission: the webhooks
    /// see the stored object as oldObject and DeleteOptions, then <paramref name="delete"/> runs
    /// under the gate if the object is still the one they saw.
    /// </summary>
    private async Task<JsonObject> AdmittedDeleteAsync(ApiRequest r, JsonObject? options, JsonObject stored, Func<JsonObject, JsonObject> delete)
    {
        var ct = r.Http.RequestAborted;
        for (int round = 1; ; round++)
        {
            if (Validating.MayApply(r.Type, r.Version, r.Subresource, r.Namespace, "DELETE"))
            {
                var current = await ConvertForRequestAsync(r.Type, stored, r.Version, ct);
                var attributes = Attributes(r, "DELETE", null, current, null) with { Name = Meta.Name(stored), Namespace = Meta.Namespace(stored) };
                if (options is not null)
                {
                    var merged = (JsonObject)options.DeepClone();
                    merged["kind"] = "DeleteOptions";
                    merged["apiVersion"] = "meta.k8s.io/v1";
                    attributes = attributes with { Options = merged };
                }
                AddWarnings(r, null, await Validating.ValidateAsync(attributes, ct));
            }
            lock (Store.Gate)
            {
                var now = Store.Get(r.Type.Key, Meta.Namespace(stored), Meta.Name(stored)) ?? throw ApiException.NotFound(r.Type, Meta.Name(stored));
                if (ReferenceEquals(now, stored) || round >= MaxAdmissionRounds)
                    return delete(now);
                stored = now;
            }
        }
    }

    private JsonObject? StoredTarget(ApiRequest r) => r.Name is null ? null : Store.Get(r.Type.Key, r.Namespace, r.Name);

    private static WriteContext Context(ApiRequest r, bool dryRun) => new(r.Type, r.Version, r.Namespace, r.FieldValidation, dryRun);

    private static AdmissionAttributes Attributes(ApiRequest r, string operation, JsonObject? obj, JsonObject? old, string? fieldManager)
    {
        var options = new JsonObject
        {
            ["kind"] = operation switch { "CREATE" => "CreateOptions", "UPDATE" => "UpdateOptions", _ => "DeleteOptions" },
            ["apiVersion"] = "meta.k8s.io/v1",
        };
        if (r.DryRun)
            options["dryRun"] = new JsonArray("All");
        if (fieldManager is { Length: > 0 })
            options["fieldManager"] = fieldManager;
        var name = r.Name ?? (obj is null ? "" : Meta.Name(obj));
        // userInfo is who authenticated (ApiServer.HandleAsync keeps it), as the real server sends it.
        var user = r.Http.Items.TryGetValue(UserInfo.ItemKey, out var u) && u is UserInfo known ? known : UserInfo.Admin;
        return new AdmissionAttributes(r.Type, r.Version, r.Subresource, operation, r.Namespace, name, obj, old, r.DryRun, options, user);
    }

    /// <summary>Conversion for a request; a failed conversion webhook is the real server's bare 500.</summary>
    private async ValueTask<JsonObject> ConvertForRequestAsync(ResourceType type, JsonObject obj, string version, CancellationToken ct) =>
        (await ConvertForRequestAsync(type, [obj], version, ct))[0];

    private async ValueTask<List<JsonObject>> ConvertForRequestAsync(ResourceType type, List<JsonObject> objects, string version, CancellationToken ct)
    {
        try
        {
            return await ConvertManyAsync(type, objects, version, ct);
        }
        catch (WebhookCallException e)
        {
            // A plain Go error, not an APIStatus: responsewriters answer 500 with no reason,
            // which kubectl prints as "Error from server: conversion webhook for ...".
            throw new ApiException(500, "", e.Message);
        }
    }

    /// <summary>A watch frame's object at the watch's version, or null (logged) when conversion failed.</summary>
    private async ValueTask<JsonObject?> ConvertForWatchAsync(ApiRequest r, JsonObject obj, CancellationToken ct)
    {
        try
        {
            return await ConvertAsync(r.Type, obj, r.Version, ct);
        }
        catch (WebhookCallException e)
        {
            _options.RequestLog?.Invoke($"watch {r.Type.QualifiedResource} ended: unable to encode watch object: {e.Message}");
            return null;
        }
    }

    private static void AddWarnings(ApiRequest r, WriteContext? w, IReadOnlyList<string> admissionWarnings)
    {
        if (w is not null)
            AddWarnings(r, w);
        foreach (var warning in admissionWarnings)
            Microsoft.AspNetCore.Http.HeaderDictionaryExtensions.Append(r.Http.Response.Headers, "Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
    }
}
