using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MetalLb.Net.Kube.Config;

/// <summary>
/// A bearer token from a kubeconfig <c>exec</c> credential plugin (client.authentication.k8s.io
/// v1 and v1beta1). As client-go does: the plugin runs on first use, its ExecCredential's token is
/// kept until its status.expirationTimestamp (for ever when it gives none) and the plugin runs
/// again after that. It gets KUBERNETES_EXEC_INFO with spec.interactive false, the cluster when
/// provideClusterInfo is set, and no standard input: a daemon has no terminal.
/// A failing plugin is a <see cref="KubeConfigException"/> naming the command, its exit code,
/// its standard error and the installHint.
/// </summary>
public sealed class ExecTokenSource : ITokenSource
{
    /// <summary>How long the plugin may run before it counts as failed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private readonly ExecCredentialPlugin _plugin;
    private readonly string? _clusterInfo;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private string? _token;
    private DateTimeOffset? _expires;

    /// <param name="clusterJson">The ExecCredential spec.cluster object, sent only when the plugin asks for it.</param>
    public ExecTokenSource(ExecCredentialPlugin plugin, TimeProvider? time = null, string? clusterJson = null)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        _plugin = plugin;
        _time = time ?? TimeProvider.System;
        _clusterInfo = plugin.ProvideClusterInfo ? clusterJson : null;
    }

    public ExecCredentialPlugin Plugin => _plugin;

    /// <summary>How many times the plugin has run (it runs again only once a token expires).</summary>
    public int Runs { get; private set; }

    public string GetToken()
    {
        lock (_gate)
        {
            if (_token is not null && (_expires is not { } expires || _time.GetUtcNow() < expires))
                return _token;
            (_token, _expires) = Run();
            Runs++;
            return _token;
        }
    }

    private (string Token, DateTimeOffset? Expires) Run()
    {
        var info = new ProcessStartInfo(_plugin.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in _plugin.Args)
            info.ArgumentList.Add(arg);
        foreach (var (name, value) in _plugin.Env)
            info.Environment[name] = value;
        info.Environment["KUBERNETES_EXEC_INFO"] = ExecInfo();

        Process process;
        try
        {
            process = Process.Start(info) ?? throw Fail("could not be started");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw Fail($"could not be started: {e.Message}", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw Fail($"did not finish within {Timeout.TotalSeconds:F0} s");
            }
            process.WaitForExit();   // drains the redirected streams
            if (process.ExitCode != 0)
                throw Fail($"exited with code {process.ExitCode}: {Tail(stderr.Result)}");
            return Parse(stdout.Result);
        }
    }

    private string ExecInfo()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", _plugin.ApiVersion);
            json.WriteString("kind", "ExecCredential");
            json.WriteStartObject("spec");
            if (_clusterInfo is not null)
            {
                json.WritePropertyName("cluster");
                json.WriteRawValue(_clusterInfo);
            }
            json.WriteBoolean("interactive", false);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /* {"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
        "status": {"token": "...", "expirationTimestamp": "2026-01-01T00:00:00Z"}} */
    private (string, DateTimeOffset?) Parse(string stdout)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stdout);
        }
        catch (JsonException e)
        {
            throw Fail($"printed no ExecCredential JSON: {e.Message}", e);
        }
        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || String(root, "kind") != "ExecCredential")
                throw Fail("printed JSON that is not an ExecCredential");
            // client-go refuses an answer in another version than the one asked for.
            if (String(root, "apiVersion") is var version && version != _plugin.ApiVersion)
                throw Fail($"answered in apiVersion \"{version}\", asked for \"{_plugin.ApiVersion}\"");
            if (!root.TryGetProperty("status", out JsonElement status) || status.ValueKind != JsonValueKind.Object)
                throw Fail("answered an ExecCredential without status");
            string? token = String(status, "token");
            if (string.IsNullOrEmpty(token))
            {
                throw Fail(String(status, "clientCertificateData") is not null
                    ? "answered with a client certificate; only token credentials are supported"
                    : "answered without a token");
            }
            DateTimeOffset? expires = null;
            if (String(status, "expirationTimestamp") is { } stamp)
            {
                if (!DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at))
                    throw Fail($"answered an expirationTimestamp that is not RFC 3339: \"{stamp}\"");
                expires = at;
            }
            return (token, expires);
        }
    }

    private static string? String(JsonElement o, string name) =>
        o.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Tail(string stderr)
    {
        string s = stderr.Trim();
        return s.Length == 0 ? "(nothing on standard error)" : s.Length > 2000 ? "..." + s[^2000..] : s;
    }

    private KubeConfigException Fail(string what, Exception? inner = null)
    {
        string message = $"exec credential plugin \"{_plugin.Command}\" {what}";
        if (_plugin.InstallHint is { Length: > 0 } hint)
            message += Environment.NewLine + hint.Trim();
        return inner is null ? new KubeConfigException(message) : new KubeConfigException(message, inner);
    }
}
