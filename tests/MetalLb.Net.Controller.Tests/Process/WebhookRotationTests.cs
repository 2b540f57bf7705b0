using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MetalLb.Net.Controller.Tests.Webhooks;
using MetalLb.Net.Controller.Webhooks;
using Xunit.Abstractions;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// Certificates that live fifteen seconds, two replicas sharing them, and reviews sent the way
/// an API server sends them (caBundle read from the configuration, a new TLS connection each
/// time, to either replica) until the serving certificate has been renewed several times and
/// the CA replaced: not one request may fail. (Six-second certificates failed here once with
/// the machine at load 40: a round took five seconds and a replica served a certificate that
/// had just expired. Fifteen leaves five seconds between renewal and expiry.)
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class WebhookRotationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rotating_serving_certificates_and_CAs_fail_no_request()
    {
        await using var lab = await ProcessLab.StartAsync(output);
        await WebhookLab.InstallWebhookObjectsAsync(lab.Client);
        var replicas = new[]
        {
            WebhookLab.Start(lab, "rot-a", "--cert-validity", "15"),
            WebhookLab.Start(lab, "rot-b", "--cert-validity", "15"),
        };
        await Task.WhenAll(replicas.Select(r => r.Controller.WaitReadyAsync()));

        var servingSeen = new HashSet<string>(StringComparer.Ordinal);
        var signersSeen = new HashSet<string>(StringComparer.Ordinal);
        int requests = 0;
        var clock = Stopwatch.StartNew();
        while (signersSeen.Count < 2 || servingSeen.Count < 4)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(180),
                $"after {requests} requests: {servingSeen.Count} serving certificates and {signersSeen.Count} CAs seen");
            var (controller, port) = replicas[requests % replicas.Length];
            Assert.False(controller.HasExited, controller.Output);
            var trust = await WebhookLab.CaBundleAsync(lab.Client);
            X509Certificate2? served = null;
            using (var client = WebhookLab.Client(port, trust, c => served = c))
            {
                var (status, body, text) = await WebhookLab.PostAsync(client, "/validate-metallb-io-v1beta1-ipaddresspool",
                    ReviewBodies.Admission("CREATE", ReviewBodies.Pool("p" + requests, "203.0.113.0/24")));
                Assert.True(status == HttpStatusCode.OK && (bool?)body?["response"]?["allowed"] == true,
                    $"request {requests} to {controller.Name} after {clock.Elapsed}: HTTP {status} {text}");
            }
            servingSeen.Add(served!.Thumbprint);
            signersSeen.Add(trust.First(ca => CertificatePlanner.SignedBy(served, ca)).Thumbprint);
            requests++;
        }
        output.WriteLine($"{requests} requests in {clock.Elapsed}: {servingSeen.Count} serving certificates, {signersSeen.Count} CAs, no failure");
    }
}
