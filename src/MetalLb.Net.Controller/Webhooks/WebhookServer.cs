using System.Net;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Kube.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>
/// The HTTPS listener the API server calls (9443, behind Service metallb-webhook-service:443):
/// POST upstream's /validate-metallb-io-* paths and /convert. Its own Kestrel instance, apart
/// from the plain-HTTP metrics and health listener, so TLS settings and certificate rotation
/// touch nothing else. The certificate is chosen per handshake from <see cref="ServingCertificate"/>.
/// </summary>
internal static class WebhookServer
{
    /// <summary>The API server sends at most 3 MiB per object; a review carries two.</summary>
    public const long MaxBody = 8 * 1024 * 1024;

    /// <param name="synced">False until the caches have listed everything: judging an empty cache would be wrong both ways.</param>
    public static async Task RunAsync(WebhookSettings settings, ServingCertificate serving, Func<CancellationToken, Task<ConfigInput>> stored, Func<bool> synced,
        ILoggerFactory logs, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The controller's own logging (JSON, --log-level) for Kestrel's messages too.
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton(logs));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxBody;
            kestrel.Listen(IPAddress.Parse(settings.BindAddress), settings.Port, listen =>
            {
                listen.Protocols = settings.Http2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    SslProtocols = settings.Protocols,
                    ServerCertificateSelector = (_, _) => serving.Current,
                });
            });
        });
        await using var app = builder.Build();
        var admission = new AdmissionEndpoint(stored, settings.Namespace);
        app.Run(async context =>
        {
            var reply = synced()
                ? await HandleAsync(context, admission).ConfigureAwait(false)
                // A failed call: the webhook's failurePolicy decides, as for an unreachable webhook.
                : new WebhookReply(503, "text/plain; charset=utf-8", System.Text.Encoding.UTF8.GetBytes("the webhook's caches have not synced yet\n"));
            context.Response.StatusCode = reply.StatusCode;
            context.Response.ContentType = reply.ContentType;
            await context.Response.Body.WriteAsync(reply.Body, context.RequestAborted).ConfigureAwait(false);
        });
        await app.StartAsync(ct).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<WebhookReply> HandleAsync(HttpContext context, AdmissionEndpoint admission)
    {
        string path = context.Request.Path.Value ?? "";
        if (path != WebhookPaths.Convert && !WebhookPaths.Validate.ContainsKey(path))
            return new WebhookReply(404, "text/plain; charset=utf-8", System.Text.Encoding.UTF8.GetBytes($"no webhook at {path}\n"));
        if (!HttpMethods.IsPost(context.Request.Method))
            return new WebhookReply(405, "text/plain; charset=utf-8", System.Text.Encoding.UTF8.GetBytes("POST a review here\n"));
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new WebhookReply(413, "text/plain; charset=utf-8", System.Text.Encoding.UTF8.GetBytes($"a review is at most {MaxBody} bytes\n"));
        }
        if (body.Length == 0)
            return WebhookReply.BadRequest("empty body: POST an AdmissionReview or ConversionReview");
        if (path == WebhookPaths.Convert)
            return ConversionEndpoint.Review(body);
        try
        {
            return await admission.ReviewAsync(path, body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            // Cannot read the stored configuration: a failed call, the failurePolicy decides.
            return new WebhookReply(503, "text/plain; charset=utf-8", System.Text.Encoding.UTF8.GetBytes($"cannot read the stored configuration: {e.Message}\n"));
        }
    }
}
