using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Http;

namespace MetalLb.Net.KubeEmulator.Admission;

/// <summary>The Status errors webhook admission answers with, in the real server's shape.</summary>
internal static class AdmissionErrors
{
    /// <summary>apierrors.NewInternalError: 500, reason InternalError, the cause repeated in details.</summary>
    public static ApiException Internal(string cause) =>
        new(500, "InternalError", $"Internal error occurred: {cause}", new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["message"] = cause }),
        });

    /// <summary>
    /// A refusal (errors.ToStatusErr): the webhook's status with its message prefixed by
    /// 'admission webhook "name" denied the request', a code below 400 raised to 400, and a
    /// status of "" or Success made Failure.
    /// </summary>
    public static ApiException Denied(string webhookName, JsonObject? status)
    {
        var deniedBy = $"admission webhook \"{webhookName}\" denied the request";
        var message = Str(status, "message");
        var reason = Str(status, "reason") ?? "";
        var text = message is { Length: > 0 } ? $"{deniedBy}: {message}"
            : reason.Length > 0 ? $"{deniedBy}: {reason}"
            : $"{deniedBy} without explanation";
        int code = status?["code"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : 0;
        if (code < 400)
            code = 400;
        // A code the HTTP layer cannot send (the real server would write it anyway); keep it sane.
        if (code > 599)
            code = 500;
        return new ApiException(code, reason, text, status?["details"] as JsonObject is { } d ? (JsonObject)d.DeepClone() : null);
    }

    private static string? Str(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
