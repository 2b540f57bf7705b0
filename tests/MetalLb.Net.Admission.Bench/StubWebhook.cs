using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Admission.Bench;

/// <summary>
/// A webhook that decides nothing (allows all but the probe), in-process on TLS: with it in
/// place of the controller the run measures what the emulator's admission path itself costs
/// (matching, AdmissionReview, HTTPS round trip), apart from the controller's judging.
/// </summary>
internal sealed class StubWebhook : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubWebhook(WebApplication app, string caBundle, int port)
    {
        _app = app;
        CaBundle = caBundle;
        Port = port;
    }

    public string CaBundle { get; }

    public int Port { get; }

    public static async Task<StubWebhook> StartAsync(string dnsName)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=stub-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=stub", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        using var signed = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(12));
        using var withKey = signed.CopyWithPrivateKey(key);
        var serving = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(serving)));
        var app = builder.Build();
        app.Run(AnswerAsync);
        await app.StartAsync();
        int port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return new StubWebhook(app, Convert.ToBase64String(Encoding.ASCII.GetBytes(ca.ExportCertificatePem())), port);
    }

    private static async Task AnswerAsync(HttpContext ctx)
    {
        var review = await JsonNode.ParseAsync(ctx.Request.Body);
        var uid = (string?)review?["request"]?["uid"];
        bool probe = (string?)review?["request"]?["name"] == "probe";
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = !probe };
        if (probe)
            response["status"] = new JsonObject { ["code"] = 403, ["message"] = "probe overlaps" };
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
