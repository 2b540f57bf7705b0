using System.Text.Json;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Admission;
using MetalLb.Net.Api.Manifests;
using MetalLb.Net.Api.Serialization;
using MetalLb.Net.Core.Admission;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>
/// admission.k8s.io/v1 AdmissionReview in, AdmissionReview out. A body that is not a review
/// (not JSON, wrong apiVersion or kind, no request, uid or operation) gets HTTP 400 with the
/// reason; a review whose object cannot be read is answered in the review (allowed false,
/// code 400), so kubectl shows the user what is wrong; otherwise <see cref="AdmissionJudge"/>
/// decides on the stored configuration <paramref name="stored"/> returns.
/// </summary>
internal sealed class AdmissionEndpoint(Func<CancellationToken, Task<ConfigInput>> stored, string metalLbNamespace)
{
    private static readonly AdmissionJsonContext Json = AdmissionJsonContext.Default;

    public async Task<WebhookReply> ReviewAsync(string path, ReadOnlyMemory<byte> body, CancellationToken ct = default)
    {
        if (!WebhookPaths.Validate.TryGetValue(path, out var kind))
            return new WebhookReply(404, "text/plain; charset=utf-8", System.Text.Encoding.UTF8.GetBytes($"no webhook at {path}\n"));
        AdmissionReview? review;
        try
        {
            review = JsonSerializer.Deserialize(body.Span, Json.AdmissionReview);
        }
        catch (JsonException e)
        {
            return WebhookReply.BadRequest($"malformed AdmissionReview: {e.Message}");
        }
        if (review is null)
            return WebhookReply.BadRequest("malformed AdmissionReview: the body is null");
        if (review.ApiVersion != AdmissionReview.V1 || review.Kind != "AdmissionReview")
            return WebhookReply.BadRequest($"expected apiVersion {AdmissionReview.V1} kind AdmissionReview, got apiVersion \"{review.ApiVersion}\" kind \"{review.Kind}\"");
        if (review.Request is not { } request)
            return WebhookReply.BadRequest("AdmissionReview has no request");
        if (string.IsNullOrEmpty(request.Uid))
            return WebhookReply.BadRequest("AdmissionReview request.uid is missing");
        AdmissionOperation? operation = request.Operation switch
        {
            "CREATE" => AdmissionOperation.Create,
            "UPDATE" => AdmissionOperation.Update,
            "DELETE" => AdmissionOperation.Delete,
            "CONNECT" => AdmissionOperation.Connect,
            _ => null,
        };
        if (operation is not { } op)
            return WebhookReply.BadRequest($"AdmissionReview request.operation \"{request.Operation}\" is not CREATE, UPDATE, DELETE or CONNECT");
        var verdict = op == AdmissionOperation.Connect ? AdmissionVerdict.Allow() : await JudgeAsync(path, kind, request, op, ct).ConfigureAwait(false);
        return Answer(request.Uid, verdict);
    }

    private async Task<AdmissionVerdict> JudgeAsync(string path, KindInfo kind, AdmissionRequest request, AdmissionOperation op, CancellationToken ct)
    {
        string expected = $"{kind.ApiVersion} {kind.Kind}";
        if (request.Kind is { } k && $"{(string.IsNullOrEmpty(k.Group) ? "" : k.Group + "/")}{k.Version} {k.Kind}" != expected)
            return BadObject($"{path} validates {expected}, not {k.Group}/{k.Version} {k.Kind}: check the ValidatingWebhookConfiguration's rules");
        JsonElement? raw = op == AdmissionOperation.Delete ? request.OldObject : request.Object;
        if (raw is not { ValueKind: JsonValueKind.Object } element)
            return BadObject(op == AdmissionOperation.Delete
                ? "request.oldObject is missing: a DELETE review carries the object being deleted"
                : "request.object is missing or not an object");
        var read = ManifestReader.ReadJson(JsonNode.Parse(element.GetRawText())!, "request.object");
        if (read.Errors.Count > 0)
            return BadObject(string.Join("; ", read.Errors.Select(e => e.Message)));
        if (read.Objects is not [{ } only] || only.Kind.ApiVersion != kind.ApiVersion || only.Kind.Kind != kind.Kind)
            return BadObject($"request.object is not one {expected}");
        var obj = only.Object;
        // The API server fills in the namespace from the URL; a review may leave it in request.namespace only.
        if (string.IsNullOrEmpty(obj.Metadata.Namespace)) obj.Metadata.Namespace = request.Namespace;
        return AdmissionJudge.Judge(new AdmissionCase(op, obj, await stored(ct).ConfigureAwait(false), metalLbNamespace));
    }

    private static AdmissionVerdict BadObject(string message) => new(false, message, [new ConfigError("", "", message)]);

    private static WebhookReply Answer(string uid, AdmissionVerdict verdict)
    {
        bool bad = !verdict.Allowed && verdict.Errors is [{ Kind: "" }];
        var response = new AdmissionResponse
        {
            Uid = uid,
            Allowed = verdict.Allowed,
            // controller-runtime's codes: 403 Forbidden for a denial, 400 for an unreadable object.
            Status = verdict.Allowed ? null : new ResponseStatus
            {
                Code = bad ? 400 : 403,
                Reason = bad ? "BadRequest" : "Forbidden",
                Message = verdict.Message,
            },
        };
        var review = new AdmissionReview { ApiVersion = AdmissionReview.V1, Kind = "AdmissionReview", Response = response };
        return WebhookReply.Json(JsonSerializer.SerializeToUtf8Bytes(review, Json.AdmissionReview));
    }
}
