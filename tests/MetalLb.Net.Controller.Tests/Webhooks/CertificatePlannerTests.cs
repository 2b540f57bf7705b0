using System.Security.Cryptography.X509Certificates;
using MetalLb.Net.Controller.Webhooks;

namespace MetalLb.Net.Controller.Tests.Webhooks;

/// <summary>The rotation plan over time, with a clock the test moves.</summary>
public sealed class CertificatePlannerTests
{
    private static readonly WebhookSettings Settings = new() { CertValidity = TimeSpan.FromHours(3) };

    [Fact]
    public void Over_many_lifetimes_every_served_certificate_is_signed_by_a_CA_the_injected_bundle_already_held()
    {
        var now = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
        var material = CertificatePlanner.Next(null, now, Settings, nextCaInjected: false)!;
        var injected = material.BundleCertificates().ToList();   // what the API server trusts
        int renewals = 0, caSwitches = 0;
        string signer = Signer(material, injected).Thumbprint;
        for (int step = 0; step < 400; step++)
        {
            now += TimeSpan.FromMinutes(10);
            bool nextInjected = material.NextCa is { } n && injected.Any(c => c.Thumbprint == X509Certificate2.CreateFromPem(n).Thumbprint);
            var planned = CertificatePlanner.Next(material, now, Settings, nextInjected);
            if (planned is null) continue;
            // The rule that keeps requests working: the new serving certificate's CA was
            // already trusted before this write, and the bundle never drops a CA in use.
            var newSigner = Signer(planned, injected);
            if (planned.ServingCert != material.ServingCert) renewals++;
            if (newSigner.Thumbprint != signer) caSwitches++;
            signer = newSigner.Thumbprint;
            material = planned;
            // The injector merges: our CAs stay until they expire.
            injected = [.. material.BundleCertificates(), .. injected.Where(c => c.NotAfter.ToUniversalTime() > now.UtcDateTime
                && material.BundleCertificates().All(b => b.Thumbprint != c.Thumbprint))];
            Assert.True(X509Certificate2.CreateFromPem(material.ServingCert).NotAfter.ToUniversalTime() > now.UtcDateTime);
        }
        Assert.True(renewals >= 20, $"{renewals} serving renewals");
        Assert.True(caSwitches >= 5, $"{caSwitches} CA switches");
    }

    [Fact]
    public void The_serving_certificate_names_the_webhook_service()
    {
        var material = CertificatePlanner.Next(null, DateTimeOffset.UtcNow, Settings, false)!;
        var cert = X509Certificate2.CreateFromPem(material.ServingCert);

        Assert.True(cert.MatchesHostname("metallb-webhook-service.metallb-system.svc"));
        Assert.False(cert.MatchesHostname("other.metallb-system.svc"));
        Assert.Null(CertificatePlanner.Next(material, DateTimeOffset.UtcNow, Settings, false));
    }

    [Fact]
    public void A_Secret_with_garbage_is_made_afresh()
    {
        var garbage = new CertificateMaterial("not a pem", "nor this", "x", "y");

        Assert.NotNull(CertificatePlanner.Next(garbage, DateTimeOffset.UtcNow, Settings, false));
    }

    private static X509Certificate2 Signer(CertificateMaterial material, IReadOnlyList<X509Certificate2> trusted)
    {
        var serving = X509Certificate2.CreateFromPem(material.ServingCert);
        var ca = trusted.FirstOrDefault(c => CertificatePlanner.SignedBy(serving, c));
        Assert.True(ca is not null, "the serving certificate is signed by a CA the API server did not trust yet");
        return ca!;
    }
}
