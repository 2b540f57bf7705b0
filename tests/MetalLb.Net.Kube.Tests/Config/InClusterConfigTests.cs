using MetalLb.Net.Kube.Config;
using Microsoft.Extensions.Time.Testing;

namespace MetalLb.Net.Kube.Tests.Config;

public sealed class InClusterConfigTests
{
    private static Func<string, string?> Env(string host, string port) =>
        name => name switch { "KUBERNETES_SERVICE_HOST" => host, "KUBERNETES_SERVICE_PORT" => port, _ => null };

    [Fact]
    public void Service_account_files_and_environment_make_the_connection()
    {
        using var certs = new TestCerts();
        using var dir = new TempDir();
        dir.Write("token", "t1");
        dir.Write("ca.crt", certs.CaPem);
        dir.Write("namespace", "metallb-system\n");

        Assert.True(InClusterConfig.IsAvailable(dir.Path, Env("10.96.0.1", "443")));
        KubeClientOptions options = InClusterConfig.Load(dir.Path, Env("10.96.0.1", "443"));

        Assert.Equal(new Uri("https://10.96.0.1:443"), options.Server);
        Assert.Equal("metallb-system", options.Namespace);
        Assert.Equal(certs.Ca.Thumbprint, Assert.Single(options.CertificateAuthorities).Thumbprint);
        Assert.Equal("t1", options.Token!.GetToken());
    }

    [Fact]
    public void An_IPv6_service_host_is_bracketed()
    {
        using var dir = new TempDir();
        dir.Write("token", "t");
        KubeClientOptions options = InClusterConfig.Load(dir.Path, Env("fd00::1", "6443"));
        Assert.Equal("https://[fd00::1]:6443/", options.Server.ToString());
    }

    [Fact]
    public void Outside_a_pod_it_is_not_available_and_says_why()
    {
        using var dir = new TempDir();
        Assert.False(InClusterConfig.IsAvailable(dir.Path, Env("10.96.0.1", "443")));
        Assert.Contains("no service account token", Assert.Throws<KubeConfigException>(
            () => InClusterConfig.Load(dir.Path, Env("10.96.0.1", "443"))).Message, StringComparison.Ordinal);
        Assert.Contains("KUBERNETES_SERVICE_HOST", Assert.Throws<KubeConfigException>(
            () => InClusterConfig.Load(dir.Path, _ => null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rotated_token_is_picked_up_once_the_read_copy_is_a_minute_old()
    {
        using var dir = new TempDir();
        string path = dir.Write("token", "old");
        var clock = new FakeTimeProvider();
        var source = new FileTokenSource(path, clock);

        Assert.Equal("old", source.GetToken());
        File.WriteAllText(path, "new");
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("old", source.GetToken());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("new", source.GetToken());
    }
}
