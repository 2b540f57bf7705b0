using MetalLb.Net.Kube.Config;

namespace MetalLb.Net.Kube.Tests.Config;

public sealed class KubeConfigLoaderTests
{
    [Fact]
    public void Embedded_ca_client_certificate_and_token_are_read_from_the_current_context()
    {
        using var certs = new TestCerts();
        string yaml = $"""
            apiVersion: v1
            kind: Config
            current-context: prod
            clusters:
            - name: prod-cluster
              cluster:
                server: https://10.0.0.1:6443
                certificate-authority-data: {TestCerts.Base64(certs.CaPem)}
            users:
            - name: admin
              user:
                client-certificate-data: {TestCerts.Base64(certs.LeafPem)}
                client-key-data: {TestCerts.Base64(certs.LeafKeyPem)}
                token: abc.def
            contexts:
            - name: prod
              context:
                cluster: prod-cluster
                user: admin
                namespace: metallb-system
            """;

        KubeClientOptions options = KubeConfigLoader.FromYaml(yaml);

        Assert.Equal(new Uri("https://10.0.0.1:6443"), options.Server);
        Assert.Equal("metallb-system", options.Namespace);
        Assert.Equal(certs.Ca.Thumbprint, Assert.Single(options.CertificateAuthorities).Thumbprint);
        Assert.NotNull(options.ClientCertificate);
        Assert.True(options.ClientCertificate!.HasPrivateKey);
        Assert.Equal(certs.Leaf.Thumbprint, options.ClientCertificate.Thumbprint);
        Assert.Equal("abc.def", options.Token!.GetToken());
        Assert.False(options.InsecureSkipTlsVerify);
    }

    [Fact]
    public void Files_merge_first_wins_and_relative_paths_resolve_beside_their_own_file()
    {
        using var certs = new TestCerts();
        using var dir = new TempDir();
        dir.Write("a/ca.pem", certs.CaPem);
        dir.Write("b/token", "from-file\n");
        string a = dir.Write("a/config", """
            current-context: first
            clusters:
            - name: c1
              cluster: {server: "https://a.example:443", certificate-authority: ca.pem}
            contexts:
            - name: first
              context: {cluster: c1, user: u1}
            users:
            - name: u1
              user: {token: token-a}
            """);
        string b = dir.Write("b/config", """
            current-context: second
            clusters:
            - name: c1
              cluster: {server: "https://ignored:443"}
            - name: c2
              cluster: {server: "http://b.example:8080", insecure-skip-tls-verify: true}
            contexts:
            - name: second
              context: {cluster: c2, user: u2}
            users:
            - name: u2
              user: {tokenFile: token}
            """);
        string missing = Path.Combine(dir.Path, "nope");
        string variable = string.Join(':', a, missing, b);

        KubeClientOptions first = KubeConfigLoader.Load(kubeconfigVariable: variable);
        KubeClientOptions second = KubeConfigLoader.Load("second", variable);

        Assert.Equal("a.example", first.Server.Host);   // c1 from the first file, current-context too
        Assert.Equal("default", first.Namespace);
        Assert.Single(first.CertificateAuthorities);
        Assert.Equal("token-a", first.Token!.GetToken());
        Assert.Equal(new Uri("http://b.example:8080"), second.Server);
        Assert.True(second.InsecureSkipTlsVerify);
        Assert.Equal("from-file", second.Token!.GetToken());
    }

    public static TheoryData<string, string, string> Broken => new()
    {
        { "no current context", "clusters: []", "no current-context" },
        { "unknown context", "current-context: x\ncontexts: []", "context \"x\" is not" },
        { "unknown cluster", "current-context: x\ncontexts:\n- name: x\n  context: {cluster: gone}", "cluster \"gone\"" },
        { "unknown user", "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\ncontexts:\n- name: x\n  context: {cluster: c, user: nobody}", "user \"nobody\"" },
        { "bad base64", "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h', certificate-authority-data: '%%%'}\ncontexts:\n- name: x\n  context: {cluster: c}", "not base64" },
        { "exec without apiVersion", "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\nusers:\n- name: u\n  user: {exec: {command: aws}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}", "exec needs an apiVersion" },
        { "exec v1alpha1", "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\nusers:\n- name: u\n  user: {exec: {command: aws, apiVersion: client.authentication.k8s.io/v1alpha1}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}", "is not supported" },
        { "exec v1 without interactiveMode", "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\nusers:\n- name: u\n  user: {exec: {command: aws, apiVersion: client.authentication.k8s.io/v1}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}", "interactiveMode must be set" },
        { "exec interactive Always", "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\nusers:\n- name: u\n  user: {exec: {command: aws, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Always}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}", "needs a terminal" },
        { "exec without command", "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\nusers:\n- name: u\n  user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}", "exec needs a command" },
        { "basic auth", "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\nusers:\n- name: u\n  user: {username: admin, password: secret}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}", "basic authentication" },
        { "auth provider", "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\nusers:\n- name: u\n  user: {auth-provider: {name: gcp}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}", "auth-provider" },
        { "key without certificate", "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\nusers:\n- name: u\n  user: {client-key-data: 'YQ=='}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}", "both the certificate and its key" },
        { "not yaml", "current-context: [", "not valid YAML" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Broken_kubeconfigs_say_what_is_wrong(string name, string yaml, string expected)
    {
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.FromYaml(yaml));
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{name}: {e.Message}");
    }

    [Fact]
    public void No_file_at_all_is_an_error_naming_the_paths()
    {
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.LoadFiles(["/nonexistent/kubeconfig"]));
        Assert.Contains("/nonexistent/kubeconfig", e.Message, StringComparison.Ordinal);
    }
}
