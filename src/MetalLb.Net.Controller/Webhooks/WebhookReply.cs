using System.Text;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>An HTTP answer of the webhook server: status, content type and body.</summary>
internal sealed record WebhookReply(int StatusCode, string ContentType, byte[] Body)
{
    /// <summary>HTTP 400 with the reason in plain text: the body was not a review we can answer.</summary>
    public static WebhookReply BadRequest(string reason) =>
        new(400, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(reason + "\n"));

    public static WebhookReply Json(byte[] body) => new(200, "application/json", body);

    public string Text => Encoding.UTF8.GetString(Body);
}
