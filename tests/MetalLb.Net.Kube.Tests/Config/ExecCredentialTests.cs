using System.Net;
using System.Text.Json;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Kube.Tests.Wire;
using Microsoft.Extensions.Time.Testing;

namespace MetalLb.Net.Kube.Tests.Config;

/// <summary>
/// Kubeconfig exec credential plugins (EKS's `aws eks get-token`, GKE's gke-gcloud-auth-plugin)
/// played by a shell script: it records its arguments one per line, its environment and how often
/// it ran, and prints the ExecCredential the test put in a file.
/// </summary>
public sealed class ExecCredentialTests : IDisposable
{
    private const string Plugin = """
        #!/bin/sh
        dir=$(dirname "$0")
        echo run >> "$dir/runs"
        : > "$dir/args"
        for a in "$@"; do printf '%s\n' "$a" >> "$dir/args"; done
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/exec-info"
        printf '%s' "$PLUGIN_REGION" > "$dir/region"
        if [ -f "$dir/fail" ]; then cat "$dir/fail" >&2; exit 3; fi
        cat "$dir/credential.json"
        """;

    private readonly TempDir _dir = new();
    private readonly string _plugin;

    public ExecCredentialTests()
    {
        _plugin = _dir.Write("bin/get-token", Plugin.Replace("\r", "", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())   // the plugin is a POSIX shell script; these tests run on Linux
            File.SetUnixFileMode(_plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_token_from_the_plugin_authenticates_against_the_emulator_with_args_as_a_list()
    {
        await using var emu = await Emulator.StartAsync();
        Credential(ExecCredentialPlugin.V1, emu.Server.BearerToken!, expires: null);
        // Relative command path: resolved against the kubeconfig's folder, as client-go does.
        string kubeconfig = _dir.Write("kubeconfig", WithExec(emu.Server.Kubeconfig(), "./bin/get-token", ExecCredentialPlugin.V1,
            args: ["eks", "get-token", "--cluster-name", "my cluster", ""], interactive: "Never", provideClusterInfo: true));

        using var client = new KubeClient(KubeConfigLoader.LoadFiles([kubeconfig]));
        await client.Resource<Service>().CreateAsync(Emulator.Service("via-exec"));
        var listed = await client.Resource<Service>().ListAsync("default");

        Assert.Equal(["via-exec"], listed.Items.Select(s => s.Metadata.Name));
        // Each argument arrived whole: the space inside one and the empty one included.
        Assert.Equal(["eks", "get-token", "--cluster-name", "my cluster", ""], File.ReadAllLines(Path.Combine(_dir.Path, "bin", "args")));
        Assert.Equal("eu-west-1", File.ReadAllText(Path.Combine(_dir.Path, "bin", "region")));
        using var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, "bin", "exec-info")));
        Assert.Equal(ExecCredentialPlugin.V1, info.RootElement.GetProperty("apiVersion").GetString());
        Assert.False(info.RootElement.GetProperty("spec").GetProperty("interactive").GetBoolean());
        Assert.Equal(emu.Server.BaseAddress.ToString().TrimEnd('/'), info.RootElement.GetProperty("spec").GetProperty("cluster").GetProperty("server").GetString());
        // Two requests, no expiry: the plugin ran once.
        Assert.Single(File.ReadAllLines(Path.Combine(_dir.Path, "bin", "runs")));
    }

    [Fact]
    public async Task A_wrong_token_from_the_plugin_is_refused_by_the_server()
    {
        await using var emu = await Emulator.StartAsync();
        Credential(ExecCredentialPlugin.V1Beta1, "not-the-token", expires: null);
        // v1beta1 needs no interactiveMode.
        string kubeconfig = _dir.Write("kubeconfig", WithExec(emu.Server.Kubeconfig(), _plugin, ExecCredentialPlugin.V1Beta1, args: [], interactive: null));
        using var client = new KubeClient(KubeConfigLoader.LoadFiles([kubeconfig]));
        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.Resource<Service>().ListAsync("default"));
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
    }

    [Fact]
    public void The_token_is_kept_until_its_expirationTimestamp_then_the_plugin_runs_again()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var source = new ExecTokenSource(PluginFor(ExecCredentialPlugin.V1), clock);
        Credential(ExecCredentialPlugin.V1, "first", clock.GetUtcNow().AddMinutes(15));

        Assert.Equal("first", source.GetToken());
        Credential(ExecCredentialPlugin.V1, "second", clock.GetUtcNow().AddMinutes(30));
        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal("first", source.GetToken());
        Assert.Equal(1, source.Runs);
        clock.Advance(TimeSpan.FromMinutes(1));   // now at the expirationTimestamp
        Assert.Equal("second", source.GetToken());
        Assert.Equal(2, source.Runs);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(_dir.Path, "bin", "runs")).Length);
    }

    [Fact]
    public void A_failing_plugin_is_an_error_with_its_exit_code_standard_error_and_install_hint()
    {
        _dir.Write("bin/fail", "error: SSO session expired; run aws sso login");
        var source = new ExecTokenSource(PluginFor(ExecCredentialPlugin.V1) with { InstallHint = "Install the AWS CLI: https://aws.amazon.com/cli/" });
        var e = Assert.Throws<KubeConfigException>(source.GetToken);
        Assert.Contains("exited with code 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("SSO session expired", e.Message, StringComparison.Ordinal);
        Assert.Contains("Install the AWS CLI", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadAnswers => new()
    {
        { "not JSON", "token please", "no ExecCredential JSON" },
        { "another kind", """{"apiVersion":"client.authentication.k8s.io/v1","kind":"Secret","status":{"token":"t"}}""", "not an ExecCredential" },
        { "another version", """{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}""", "answered in apiVersion" },
        { "no token", """{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}""", "without a token" },
        { "certificate only", """{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"x","clientKeyData":"y"}}""", "only token credentials" },
        { "bad expiry", """{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"soon"}}""", "not RFC 3339" },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public void A_bad_answer_says_what_is_wrong(string name, string answer, string expected)
    {
        _dir.Write("bin/credential.json", answer);
        var e = Assert.Throws<KubeConfigException>(new ExecTokenSource(PluginFor(ExecCredentialPlugin.V1)).GetToken);
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{name}: {e.Message}");
    }

    [Fact]
    public void A_missing_command_is_an_error_naming_it()
    {
        var e = Assert.Throws<KubeConfigException>(new ExecTokenSource(new ExecCredentialPlugin
        {
            Command = Path.Combine(_dir.Path, "no-such-plugin"),
            ApiVersion = ExecCredentialPlugin.V1,
        }).GetToken);
        Assert.Contains("no-such-plugin", e.Message, StringComparison.Ordinal);
        Assert.Contains("could not be started", e.Message, StringComparison.Ordinal);
    }

    private ExecCredentialPlugin PluginFor(string apiVersion) => new() { Command = _plugin, ApiVersion = apiVersion };

    private void Credential(string apiVersion, string token, DateTimeOffset? expires)
    {
        string expiry = expires is { } at
            ? ",\"expirationTimestamp\":\"" + at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) + "\""
            : "";
        _dir.Write("bin/credential.json",
            "{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" + token + "\"" + expiry + "}}");
    }

    /// <summary>The emulator's kubeconfig with its static token replaced by an exec section.</summary>
    private static string WithExec(string kubeconfig, string command, string apiVersion, string[] args, string? interactive, bool provideClusterInfo = false)
    {
        string token = kubeconfig.Split('\n').Single(l => l.TrimStart().StartsWith("token:", StringComparison.Ordinal));
        string exec = "    exec:\n"
            + $"      apiVersion: {apiVersion}\n"
            + $"      command: {command}\n"
            + "      args:\n" + string.Concat(args.Select(a => $"      - \"{a}\"\n"))
            + "      env:\n      - name: PLUGIN_REGION\n        value: eu-west-1\n"
            + (interactive is null ? "" : $"      interactiveMode: {interactive}\n")
            + (provideClusterInfo ? "      provideClusterInfo: true\n" : "");
        return kubeconfig.Replace(token + "\n", exec, StringComparison.Ordinal);
    }
}
