using System.Net;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Hosting;
using MetalLb.Net.Kube.Rest;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>
/// Keeps the webhook's certificate: every replica runs this loop. Each round reads the Secret,
/// asks <see cref="CertificatePlanner"/> whether anything must change (create, renew, a new CA)
/// and writes it with optimistic concurrency (create → 409 means another replica was first;
/// update carries the resourceVersion → 409 means re-read), so replicas never need a leader
/// and never fight: they all converge on the Secret's content. Then it serves the Secret's
/// certificate, injects the bundle (<see cref="CaBundleInjector"/>), and reports readiness:
/// ready once both webhook objects carry the CA that signed the certificate served.
/// </summary>
internal sealed partial class CertificateRotator(
    KubeClient client, WebhookSettings settings, ServingCertificate serving, ReadinessGate readiness, ILogger log, TimeProvider time)
{
    private readonly ILogger _log = log;

    public const string Condition = "webhook-certificate";

    private readonly CaBundleInjector _injector = new(client, settings);
    private IReadOnlyList<InjectionTarget> _injected = [];
    private string? _lastWhy;

    public async Task RunAsync(CancellationToken ct)
    {
        readiness.Set(Condition, false, $"reading Secret {settings.SecretName}");
        while (!ct.IsCancellationRequested)
        {
            bool ready = false;
            try
            {
                ready = await RoundAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
            {
                readiness.Set(Condition, false, $"the API server: {e.Message}");
                LogRoundFailed(e.Message);
            }
            // Not ready yet: try again soon, whatever the rotation interval.
            var wait = ready ? settings.CheckInterval : TimeSpan.FromTicks(Math.Min(settings.CheckInterval.Ticks, TimeSpan.FromSeconds(1).Ticks));
            try
            {
                await Task.Delay(wait, time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round; true when ready.</summary>
    private async Task<bool> RoundAsync(CancellationToken ct)
    {
        var secrets = client.Resource<Secret>();
        for (int attempt = 0; ; attempt++)
        {
            Secret? secret = await GetSecretAsync(secrets, ct).ConfigureAwait(false);
            // The time of the decision, after the read: under load a read can take seconds.
            var now = time.GetUtcNow();
            var material = CertificateMaterial.FromSecretData(secret?.Data);
            bool nextInjected = material?.NextCa is { } next
                && _injected.Count > 0 && _injected.All(t => t.Carries(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(next)));
            var planned = CertificatePlanner.Next(material, now, settings, nextInjected);
            if (planned is null)
                return await ServeAndInjectAsync(material!, now, ct).ConfigureAwait(false);
            try
            {
                if (secret is null)
                    await secrets.CreateAsync(new Secret
                    {
                        Metadata = new ObjectMeta { Name = settings.SecretName, Namespace = settings.Namespace },
                        Data = planned.ToSecretData(),
                    }, ct).ConfigureAwait(false);
                else
                {
                    secret.Data = planned.ToSecretData();
                    secret.StringData = null;
                    await secrets.UpdateAsync(secret, ct).ConfigureAwait(false);
                }
                LogWritten(settings.SecretName, Describe(material, planned));
                return await ServeAndInjectAsync(planned, now, ct).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.StatusCode is HttpStatusCode.Conflict && attempt < 3)
            {
                // Another replica wrote first: read what it wrote.
            }
        }
    }

    private async Task<Secret?> GetSecretAsync(ResourceClient<Secret> secrets, CancellationToken ct)
    {
        try
        {
            return await secrets.GetAsync(settings.Namespace, settings.SecretName, ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<bool> ServeAndInjectAsync(CertificateMaterial material, DateTimeOffset now, CancellationToken ct)
    {
        if (serving.Update(material.ServingCert, material.ServingKey))
            LogServing(serving.Current!.Subject, serving.Current.NotAfter.ToUniversalTime(), serving.Current.Thumbprint);
        var bundle = material.BundleCertificates();
        _injected = await _injector.InjectAsync(bundle, now, ct).ConfigureAwait(false);
        // Ready when every object carries the CA that signed the certificate we serve.
        var signer = bundle.FirstOrDefault(ca => CertificatePlanner.SignedBy(serving.Current!, ca));
        var missing = _injected.Where(t => signer is null || !t.Carries(signer)).ToList();
        if (missing.Count == 0)
        {
            readiness.Set(Condition, true);
            _lastWhy = null;
            return true;
        }
        string why = string.Join("; ", missing.Select(t => t.Problem ?? $"caBundle not yet injected into {t.What}"));
        readiness.Set(Condition, false, why);
        if (why != _lastWhy)
            LogNotInjected(why);   // once per reason, not once per round
        _lastWhy = why;
        return false;
    }

    private static string Describe(CertificateMaterial? before, CertificateMaterial after) =>
        before is null ? "created a CA and a serving certificate"
        : before.NextCa is null && after.NextCa is not null ? "published a new CA in the bundle ahead of using it"
        : before.NextCa is not null && after.NextCa is null ? "switched to the new CA and a serving certificate it signed"
        : before.ServingCert != after.ServingCert ? "renewed the serving certificate"
        : "dropped expired CAs from the bundle";

    [LoggerMessage(Level = LogLevel.Information, Message = "webhook Secret {Secret}: {What}")]
    private partial void LogWritten(string secret, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "webhook serves certificate {Subject} valid until {NotAfter:o} ({Thumbprint})")]
    private partial void LogServing(string subject, DateTime notAfter, string thumbprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "webhook not ready: {Why}")]
    private partial void LogNotInjected(string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "webhook certificate round failed: {Error}")]
    private partial void LogRoundFailed(string error);
}
