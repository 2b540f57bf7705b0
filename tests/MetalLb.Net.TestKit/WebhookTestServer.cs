using System.Collections.Concurrent;
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

namespace MetalLb.Net.TestKit;

/// <summary>
/// A real HTTPS webhook server for the emulator to call: Kestrel on 127.0.0.1 with a serving
/// certificate from its own CA (valid for 127.0.0.1, localhost and the given service DNS names),
/// answering each path with a test-supplied handler and keeping every review it received.
/// <see cref="CaBundle"/> is the base64 PEM a webhook configuration's caBundle takes. The
/// emulator's webhook tests use it, and the admission benchmark as a webhook that judges nothing.
/// </summary>
public sealed class WebhookTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<JsonObject, HttpContext, Task<JsonObject?>>> _handlers = new(StringComparer.Ordinal);
    private Func<JsonObject, HttpContext, Task<JsonObject?>>? _anyPath;

    private WebhookTestServer(WebApplication app, string caPem)
    {
        _app = app;
        CaPem = caPem;
    }

    public string CaPem { get; }

    public string CaBundle => Convert.ToBase64String(Encoding.ASCII.GetBytes(CaPem));

    public int Port { get; private set; }

    /// <summary>Every request body received, with its path, in arrival order (while <see cref="KeepReceived"/>).</summary>
    public ConcurrentQueue<(string Path, JsonObject Body)> Received { get; } = new();

    /// <summary>False for a long run (a benchmark) that never looks at <see cref="Received"/> and should not hold every review.</summary>
    public bool KeepReceived { get; set; } = true;

    public int CountOn(string path) => Received.Count(r => r.Path == path);

    public static async Task<WebhookTestServer> StartAsync(params string[] dnsNames)
    {
        var (serving, caPem) = Certificates(dnsNames);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(serving)));
        var app = builder.Build();
        var server = new WebhookTestServer(app, caPem);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    /// <summary>What <paramref name="path"/> answers: the handler's object as JSON, or (null) whatever it wrote itself.</summary>
    public void On(string path, Func<JsonObject, HttpContext, Task<JsonObject?>> handler) => _handlers[path] = handler;

    public void On(string path, Func<JsonObject, JsonObject> handler) => On(path, (review, _) => Task.FromResult<JsonObject?>(handler(review)));

    /// <summary>What every path without its own handler answers (without one, such a path is a 404).</summary>
    public void OnAnyPath(Func<JsonObject, JsonObject> handler) => _anyPath = (review, _) => Task.FromResult<JsonObject?>(handler(review));

    /// <summary>A v1 AdmissionReview answer for <paramref name="review"/>.</summary>
    public static JsonObject Answer(JsonObject review, bool allowed, string? message = null, int code = 403, string reason = "Forbidden")
    {
        var response = new JsonObject { ["uid"] = review["request"]!["uid"]!.GetValue<string>(), ["allowed"] = allowed };
        if (!allowed)
            response["status"] = new JsonObject { ["code"] = code, ["reason"] = reason, ["message"] = message };
        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response };
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        var body = await JsonNode.ParseAsync(ctx.Request.Body) as JsonObject ?? [];
        if (KeepReceived)
            Received.Enqueue((path, body));
        var handler = _handlers.GetValueOrDefault(path) ?? _anyPath;
        if (handler is null)
        {
            ctx.Response.StatusCode = 404;
            return;
        }
        var answer = await handler(body, ctx);
        if (answer is null)
            return;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(answer.ToJsonString());
    }

    private static (X509Certificate2 Serving, string CaPem) Certificates(string[] dnsNames)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=webhook-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=webhook-test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        foreach (var name in dnsNames)
            san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(12));
        using var withKey = signed.CopyWithPrivateKey(key);
        return (X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null), ca.ExportCertificatePem());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
