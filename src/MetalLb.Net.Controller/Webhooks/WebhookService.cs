using MetalLb.Net.Hosting;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Kube.Rest;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>
/// Everything --webhook-mode=enabled or onlywebhook runs: the caches the webhooks judge with,
/// the certificate (rotated through the Secret, or read from --cert-dir), and the HTTPS server.
/// Readiness: the caches synced and the certificate injected (each condition says why not).
/// </summary>
internal sealed partial class WebhookService(KubeClient client, WebhookSettings settings, BgpMode mode, ReadinessGate readiness,
    ILoggerFactory logs, TimeProvider time)
{
    public const string CachesCondition = "webhook-caches-synced";

    private readonly ILogger _log = logs.CreateLogger("controller.webhook");

    public async Task RunAsync(CancellationToken ct)
    {
        readiness.Require(CachesCondition);
        readiness.Require(CertificateRotator.Condition);
        var serving = new ServingCertificate();
        await using var caches = new WebhookCaches(client, settings.Namespace, mode, time, logs.CreateLogger("controller.webhook.informer"));
        caches.Start(ct);
        Task certificate = settings.DisableCertRotation
            ? new CertDirCertificate(settings, serving, readiness, _log, time).RunAsync(ct)
            : new CertificateRotator(client, settings, serving, readiness, _log, time).RunAsync(ct);
        Task server = WebhookServer.RunAsync(settings, serving, caches.SnapshotAsync, () => caches.Group.Waiting.Count == 0, logs, ct);
        LogListening(settings.BindAddress, settings.Port, settings.DisableCertRotation ? $"--cert-dir {settings.CertDir}" : $"Secret {settings.SecretName}");
        try
        {
            await caches.Group.WaitForSyncAsync((name, why) =>
            {
                readiness.Set(CachesCondition, false, $"{name}: {why}");
                LogCacheWaiting(name, why);
            }, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
            readiness.Set(CachesCondition, true);
            await Task.WhenAll(certificate, server).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            readiness.Set(CachesCondition, false, "stopped");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "webhooks on https://{Bind}:{Port}, certificate from {Source}")]
    private partial void LogListening(string bind, int port, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "webhook still waiting to list {Resource}: {Reason}")]
    private partial void LogCacheWaiting(string resource, string reason);
}
