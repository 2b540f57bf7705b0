using MetalLb.Net.Hosting;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>
/// --disable-cert-rotation: someone else (cert-manager, an operator's own CA) writes tls.crt
/// and tls.key into --cert-dir, usually a mounted Secret, and injects the caBundle. We serve
/// what is there and pick up changes, as upstream's webhook server watches its cert dir.
/// </summary>
internal sealed partial class CertDirCertificate(WebhookSettings settings, ServingCertificate serving, ReadinessGate readiness, ILogger log, TimeProvider time)
{
    private readonly ILogger _log = log;

    public async Task RunAsync(CancellationToken ct)
    {
        string cert = Path.Combine(settings.CertDir, "tls.crt"), key = Path.Combine(settings.CertDir, "tls.key");
        readiness.Set(CertificateRotator.Condition, false, $"reading {cert} and {key}");
        string? lastProblem = null;
        while (!ct.IsCancellationRequested)
        {
            string? problem = null;
            try
            {
                if (serving.Update(await File.ReadAllTextAsync(cert, ct).ConfigureAwait(false), await File.ReadAllTextAsync(key, ct).ConfigureAwait(false)))
                    LogLoaded(cert, serving.Current!.Subject, serving.Current.NotAfter.ToUniversalTime());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                problem = $"cannot load {cert} and {key} (--disable-cert-rotation serves them): {e.Message}";
            }
            readiness.Set(CertificateRotator.Condition, problem is null && serving.Current is not null, problem);
            if (problem is not null && problem != lastProblem)
                LogProblem(problem);
            lastProblem = problem;
            try
            {
                await Task.Delay(problem is null ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(1), time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "webhook serves {File}: {Subject} valid until {NotAfter:o}")]
    private partial void LogLoaded(string file, string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "webhook not ready: {Problem}")]
    private partial void LogProblem(string problem);
}
