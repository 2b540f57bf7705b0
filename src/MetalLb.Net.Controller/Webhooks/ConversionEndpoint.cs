using System.Text.Json;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Admission;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Api.Serialization;
using MetalLb.Net.Core.Conversion;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>
/// apiextensions.k8s.io/v1 (or v1beta1, same shape) ConversionReview for BGPPeer. Only spec
/// is converted (<see cref="BgpPeerConversion"/>) and apiVersion set; metadata and status pass
/// through byte for byte, as the API server requires. A body that is not a review gets HTTP
/// 400 with the reason; an object that cannot be converted fails the review (result Failure
/// with the object and field), which the API server reports to the client.
/// </summary>
internal static class ConversionEndpoint
{
    private static readonly AdmissionJsonContext Json = AdmissionJsonContext.Default;

    public static WebhookReply Review(ReadOnlySpan<byte> body)
    {
        ConversionReview? review;
        try
        {
            review = JsonSerializer.Deserialize(body, Json.ConversionReview);
        }
        catch (JsonException e)
        {
            return WebhookReply.BadRequest($"malformed ConversionReview: {e.Message}");
        }
        if (review is null)
            return WebhookReply.BadRequest("malformed ConversionReview: the body is null");
        if (review.ApiVersion is not (ConversionReview.V1 or ConversionReview.V1Beta1) || review.Kind != "ConversionReview")
            return WebhookReply.BadRequest($"expected apiVersion {ConversionReview.V1} kind ConversionReview, got apiVersion \"{review.ApiVersion}\" kind \"{review.Kind}\"");
        if (review.Request is not { } request)
            return WebhookReply.BadRequest("ConversionReview has no request");
        if (string.IsNullOrEmpty(request.Uid))
            return WebhookReply.BadRequest("ConversionReview request.uid is missing");
        if (string.IsNullOrEmpty(request.DesiredAPIVersion))
            return WebhookReply.BadRequest("ConversionReview request.desiredAPIVersion is missing");
        if (request.Objects is null)
            return WebhookReply.BadRequest("ConversionReview request.objects is missing");

        var response = new ConversionResponse { Uid = request.Uid };
        string? failure = request.DesiredAPIVersion is BgpPeerConversion.V1Beta1 or BgpPeerConversion.V1Beta2
            ? null
            : $"cannot convert to {request.DesiredAPIVersion}: BGPPeer is served as {BgpPeerConversion.V1Beta1} and {BgpPeerConversion.V1Beta2}";
        for (int i = 0; failure is null && i < request.Objects.Count; i++)
        {
            var (converted, error) = Convert(request.Objects[i], request.DesiredAPIVersion, i);
            if (error is not null) failure = error;
            else response.ConvertedObjects.Add(converted);
        }
        if (failure is null)
            response.Result = new ResponseStatus { Status = "Success" };
        else
        {
            response.ConvertedObjects = [];
            response.Result = new ResponseStatus { Status = "Failure", Message = failure };
        }
        var answer = new ConversionReview { ApiVersion = review.ApiVersion, Kind = "ConversionReview", Response = response };
        return WebhookReply.Json(JsonSerializer.SerializeToUtf8Bytes(answer, Json.ConversionReview));
    }

    private static (JsonNode? Converted, string? Error) Convert(JsonNode? node, string desired, int index)
    {
        if (node is not JsonObject obj)
            return (null, $"objects[{index}] is not an object");
        string? apiVersion = Text(obj["apiVersion"]), kind = Text(obj["kind"]);
        string name = Text(obj["metadata"]?.GetValueKind() == JsonValueKind.Object ? obj["metadata"]!["name"] : null) ?? $"objects[{index}]";
        if (kind != "BGPPeer" || apiVersion is not (BgpPeerConversion.V1Beta1 or BgpPeerConversion.V1Beta2))
            return (null, $"{name}: cannot convert apiVersion \"{apiVersion}\" kind \"{kind}\": this webhook converts metallb.io BGPPeers");
        var result = obj.DeepClone().AsObject();
        result["apiVersion"] = desired;
        if (apiVersion == desired)
            return (result, null);
        try
        {
            // Only spec is read typed; metadata and status stay as the API server sent them.
            var specOnly = new JsonObject { ["spec"] = obj["spec"]?.DeepClone() };
            JsonNode? spec;
            string? error;
            if (desired == BgpPeerConversion.V1Beta2)
            {
                var legacy = specOnly.Deserialize(ApiJsonContext.Default.BGPPeerV1Beta1) ?? new BGPPeerV1Beta1();
                var converted = BgpPeerConversion.ToV1Beta2(legacy);
                (spec, error) = (converted.Value is null ? null : JsonSerializer.SerializeToNode(converted.Value.Spec, ApiJsonContext.Default.BGPPeerSpec), converted.Error);
            }
            else
            {
                var peer = specOnly.Deserialize(ApiJsonContext.Default.BGPPeer) ?? new BGPPeer();
                var converted = BgpPeerConversion.ToV1Beta1(peer);
                (spec, error) = (converted.Value is null ? null : JsonSerializer.SerializeToNode(converted.Value.Spec, ApiJsonContext.Default.BGPPeerV1Beta1Spec), converted.Error);
            }
            if (error is not null)
                return (null, $"BGPPeer \"{name}\": {error}");
            result["spec"] = spec;
            return (result, null);
        }
        catch (JsonException e)
        {
            return (null, $"BGPPeer \"{name}\": {e.Path?.TrimStart('$').TrimStart('.')}: {FirstSentence(e.Message)}");
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string FirstSentence(string message) =>
        message.IndexOf(". ", StringComparison.Ordinal) is > 0 and var dot ? message[..dot] : message;
}
