using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MetalLb.Net.KubeEmulator.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.KubeEmulator;

/// <summary>
/// An in-memory Kubernetes API server on Kestrel, listening on loopback only. Start one per
/// test with <see cref="StartAsync"/>, point a client (ours or kubectl, via
/// <see cref="WriteKubeconfig"/>) at <see cref="BaseAddress"/>, and dispose it to stop.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ApiServer _api;
    private readonly CertificateAuthority? _ca;

    private EmulatorServer(WebApplication app, ApiServer api, CertificateAuthority? ca, EmulatorOptions options, EmulatorFaults faults)
    {
        _app = app;
        _api = api;
        _ca = ca;
        Options = options;
        Faults = faults;
    }

    public EmulatorOptions Options { get; }

    /// <summary>Fault injection: failing requests, cut watches, forced 410, latency.</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>http(s)://127.0.0.1:port/ once started.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The token clients must send, or null when the emulator does not authenticate.</summary>
    public string? BearerToken => Options.BearerToken;

    /// <summary>The CA that signed the serving certificate (https only).</summary>
    public X509Certificate2? CaCertificate => _ca?.Certificate;

    /// <summary>The CA certificate as PEM, for a kubeconfig's certificate-authority-data (https only).</summary>
    public string? CaCertificatePem => _ca?.CertificatePem;

    /// <summary>The current global resourceVersion.</summary>
    public long ResourceVersion => _api.Store.Revision;

    /// <summary>How many watch streams are open right now (lets tests wait for a watch to be established).</summary>
    public int OpenWatches => _api.Store.OpenWatches;

    public static async Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var faults = new EmulatorFaults();
        var ca = options.UseHttps ? new CertificateAuthority(options.TimeProvider) : null;
        var api = new ApiServer(options, faults);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (ca is not null)
                    listen.UseHttps(ca.ServerCertificate);
            });
        });
        var app = builder.Build();
        app.Run(api.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        api.ServerAddress = $"{uri.Host}:{uri.Port}";
        return new EmulatorServer(app, api, ca, options, faults) { BaseAddress = new Uri($"{uri.Scheme}://127.0.0.1:{uri.Port}/") };
    }

    /// <summary>Forgets the event history: every watch or continue token from before now gets 410 Expired.</summary>
    public void Compact() => _api.Store.Compact();

    /// <summary>Sends a BOOKMARK now to every watch (whether or not it asked for bookmarks).</summary>
    public void SendBookmarks() => _api.Store.BookmarkAll();

    /// <summary>An HttpClient that trusts the emulator's CA and sends its token.</summary>
    public HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler();
        if (_ca is not null)
        {
            var trusted = _ca.Certificate;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                if (cert is null)
                    return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(trusted);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(cert as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(cert.GetRawCertData()));
            };
        }
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (BearerToken is not null)
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", BearerToken);
        return client;
    }

    /// <summary>A kubeconfig (YAML) with one cluster, user and context named "emulator".</summary>
    public string Kubeconfig() => Kubeconfig(BearerToken);

    /// <summary>As <see cref="Kubeconfig()"/>, authenticating with <paramref name="token"/> (e.g. a ServiceAccount's).</summary>
    public string Kubeconfig(string? token)
    {
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Config\nclusters:\n- name: emulator\n  cluster:\n");
        sb.Append("    server: ").Append(BaseAddress.ToString().TrimEnd('/')).Append('\n');
        if (CaCertificatePem is { } pem)
            sb.Append("    certificate-authority-data: ").Append(Convert.ToBase64String(Encoding.ASCII.GetBytes(pem))).Append('\n');
        sb.Append("users:\n- name: emulator\n  user:");
        sb.Append(token is null ? " {}\n" : $"\n    token: {token}\n");
        sb.Append("contexts:\n- name: emulator\n  context:\n    cluster: emulator\n    user: emulator\n    namespace: default\n");
        sb.Append("current-context: emulator\n");
        return sb.ToString();
    }

    public void WriteKubeconfig(string path) => File.WriteAllText(path, Kubeconfig());

    public void WriteKubeconfig(string path, string? token) => File.WriteAllText(path, Kubeconfig(token));

    /// <summary>
    /// A token for the existing ServiceAccount <paramref name="ns"/>/<paramref name="name"/>, as
    /// the TokenRequest API issues one: requests with it are user
    /// system:serviceaccount:ns:name and RBAC decides what it may do. <value>Valid 24 hours by default.</value>
    /// </summary>
    public string CreateServiceAccountToken(string ns, string name, TimeSpan? lifetime = null)
    {
        var account = _api.Store.Get("serviceaccounts", ns, name)
            ?? throw new InvalidOperationException($"serviceaccount {ns}/{name} does not exist");
        return _api.Tokens.Issue(ns, name, account["metadata"]!["uid"]!.GetValue<string>(), lifetime ?? TimeSpan.FromHours(24),
            ["https://kubernetes.default.svc.cluster.local"]).Token;
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _api.Store.CutWatches();
        await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        _ca?.Dispose();
    }
}
