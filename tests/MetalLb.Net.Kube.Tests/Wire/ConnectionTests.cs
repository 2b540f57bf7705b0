using System.Net;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.KubeEmulator;
using Microsoft.Extensions.Time.Testing;

namespace MetalLb.Net.Kube.Tests.Wire;

/// <summary>How the client connects: in-cluster service account files, token rotation, slow servers.</summary>
public sealed class ConnectionTests
{
    [Fact]
    public async Task In_cluster_config_reaches_the_server_and_follows_a_rotated_token()
    {
        await using EmulatorServer server = await EmulatorServer.StartAsync(new EmulatorOptions { UseHttps = true, BearerToken = "rotated" });
        using var dir = new TempDir();
        string tokenPath = dir.Write("token", "expired-token");
        dir.Write("ca.crt", server.CaCertificatePem!);
        dir.Write("namespace", "kube-system");
        var clock = new FakeTimeProvider();
        string? Env(string name) => name switch
        {
            "KUBERNETES_SERVICE_HOST" => "127.0.0.1",
            "KUBERNETES_SERVICE_PORT" => server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
        using var client = new KubeClient(InClusterConfig.Load(dir.Path, Env, clock));
        Assert.Equal("kube-system", client.DefaultNamespace);
        ResourceClient<Namespace> namespaces = client.Resource<Namespace>();

        var e = await Assert.ThrowsAsync<KubeApiException>(() => namespaces.ListAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);

        File.WriteAllText(tokenPath, "rotated");   // the kubelet rotates the projected token
        await Assert.ThrowsAsync<KubeApiException>(() => namespaces.ListAsync());   // the read copy is still fresh
        clock.Advance(FileTokenSource.RefreshPeriod);
        Assert.Contains((await namespaces.ListAsync()).Items, n => n.Metadata.Name == "kube-system");
    }

    [Fact]
    public async Task A_slow_server_is_bounded_by_the_callers_token_and_still_answers_without_one()
    {
        await using Emulator emu = await Emulator.StartAsync();
        var services = emu.Client.Resource<Service>();
        emu.Faults.Latency = TimeSpan.FromMilliseconds(300);
        using (var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.ListAsync(ct: shortWait.Token));
        Assert.NotNull(await services.CreateAsync(Emulator.Service("slow")));
        emu.Faults.Clear();
    }

    [Fact]
    public async Task A_kubeconfig_client_certificate_is_presented_over_TLS()
    {
        using var certs = new TestCerts("admin");
        await using ClientCertificateServerFake server = await ClientCertificateServerFake.StartAsync(certs.Leaf);
        string kubeconfig = $"""
            current-context: x509
            clusters:
            - name: c
              cluster:
                server: {server.Address}
                certificate-authority-data: {TestCerts.Base64(certs.CaPem)}
            users:
            - name: u
              user:
                client-certificate-data: {TestCerts.Base64(certs.LeafPem)}
                client-key-data: {TestCerts.Base64(certs.LeafKeyPem)}
            contexts:
            - name: x509
              context:
                cluster: c
                user: u
            """;
        using var client = new KubeClient(KubeConfigLoader.FromYaml(kubeconfig));
        Namespace echoed = await client.Resource<Namespace>().GetAsync(null, "default");
        Assert.Equal("CN=admin", echoed.Metadata.Name);
    }
}
