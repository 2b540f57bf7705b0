using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// What the webhook tests need around a <see cref="ProcessLab"/>: the webhook objects of
/// deploy/metallb-net.yaml installed, the caBundle read back as the API server reads it, and
/// an HTTPS client that trusts only that bundle and checks the certificate's name
/// (metallb-webhook-service.metallb-system.svc) while connecting to the loopback port.
/// </summary>
internal static class WebhookLab
{
    public const string Host = "metallb-webhook-service.metallb-system.svc";

    public static readonly ResourceInfo Configurations = new(
        "admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false);

    public static readonly ResourceInfo Crds = new(
        "apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false);

    /// <summary>The controller with its webhooks on a free loopback port.</summary>
    public static (ControllerProcess Controller, int Port) Start(ProcessLab lab, string identity, params string[] extra)
    {
        int port = ControllerProcess.FreePort();
        var controller = lab.StartController(identity, ["--webhook-mode=enabled", "--webhook-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--webhook-bind-address", "127.0.0.1", .. extra]);
        return (controller, port);
    }

    /// <summary>The ValidatingWebhookConfiguration and the empty Secret (unless there is one), exactly as the one-file install has them.</summary>
    public static async Task InstallWebhookObjectsAsync(KubeClient client)
    {
        string manifest = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", "metallb-net.yaml"));
        var objects = manifest.ReplaceLineEndings("\n").Split("\n---")
            .Where(doc => doc.Split('\n').Any(l => l.Length > 0 && !l.TrimStart().StartsWith('#')))
            .Select(doc => JsonNode.Parse(YamlJson.Convert(doc))!.AsObject()).ToList();
        var configuration = objects.Single(o => (string?)o["kind"] == "ValidatingWebhookConfiguration");
        var secret = objects.Single(o => (string?)o["kind"] == "Secret" && (string?)o["metadata"]!["name"] == "metallb-webhook-cert");
        await client.Generic(Configurations).CreateAsync(GenericObject.Parse(configuration.ToJsonString()));
        try
        {
            await client.Generic(new ResourceInfo("", "v1", "secrets", "Secret", true)).CreateAsync(GenericObject.Parse(secret.ToJsonString()));
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // A controller started first made it: kubectl apply would leave its data alone too.
        }
    }

    /// <summary>The CAs in the webhook configuration's caBundle (the same in every webhook, or the test fails).</summary>
    public static async Task<X509Certificate2Collection> CaBundleAsync(KubeClient client)
    {
        var configuration = JsonNode.Parse((await client.Generic(Configurations).GetAsync(null, "metallb-webhook-configuration")).ToJson())!;
        var bundles = configuration["webhooks"]!.AsArray().Select(w => (string?)w!["clientConfig"]!["caBundle"]).Distinct().ToList();
        Assert.True(bundles is [{ Length: > 0 }], $"caBundles: {string.Join(" | ", bundles)}");
        var trust = new X509Certificate2Collection();
        trust.ImportFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(bundles[0]!)));
        return trust;
    }

    /// <summary>A client trusting only <paramref name="trust"/>; <paramref name="served"/> sees each server certificate.</summary>
    public static HttpClient Client(int port, X509Certificate2Collection trust, Action<X509Certificate2>? served = null)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(trust);
        var handler = new SocketsHttpHandler
        {
            // The name in the URL is the Service's, as the API server dials it; the socket goes to loopback.
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = policy,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is not null) served?.Invoke(new X509Certificate2(certificate));
                    return errors == SslPolicyErrors.None;
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://{Host}:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static async Task<(HttpStatusCode Status, JsonNode? Body, string Text)> PostAsync(HttpClient http, string path, JsonObject review)
    {
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative),
            new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(text) : null, text);
    }
}
