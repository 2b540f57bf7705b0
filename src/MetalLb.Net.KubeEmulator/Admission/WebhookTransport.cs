using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Admission;

/// <summary>
/// POSTs a review to a webhook over HTTPS the way the real API server's webhook client does:
/// TLS verified against the configuration's caBundle only (the system roots when empty), the
/// server name of a service reference (name.namespace.svc) checked against the certificate,
/// the connection dialled to the address the service resolves to, ?timeout= on the URL and a
/// deadline on the whole call. Failures come back as <see cref="WebhookCallException"/> with
/// Go's wording ("Post \"url\": dial tcp ...: connect: connection refused"), so what kubectl
/// prints matches a real cluster. One pooled client per caBundle keeps connections warm.
/// </summary>
internal sealed class WebhookTransport : IDisposable
{
    private const int MaxResponseBytes = 3 * 1024 * 1024;
    private static readonly HttpRequestOptionsKey<(string Host, int Port)> DialTo = new("metallb-net.dial-to");
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _tlsFailures = new(StringComparer.Ordinal);

    /// <summary>
    /// Sends <paramref name="body"/> and returns the decoded JSON object of a 2xx answer.
    /// <paramref name="dialTo"/> is where to connect (a service's endpoint) when it differs from the URL's host.
    /// </summary>
    public async Task<JsonObject> PostAsync(string url, (string Host, int Port)? dialTo, string? caBundlePem, JsonObject body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var client = _clients.GetOrAdd(caBundlePem ?? "", CreateClient);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        if (dialTo is { } target)
            request.Options.Set(DialTo, target);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var bytes = await ReadBoundedAsync(response, deadline.Token);
            return Decode(response, bytes);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new WebhookCallException($"Post \"{url}\": context deadline exceeded");
        }
        catch (HttpRequestException e)
        {
            throw new WebhookCallException($"Post \"{url}\": {Describe(e, new Uri(url).Host)}");
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > MaxResponseBytes)
                throw new WebhookCallException($"webhook response was too large (more than {MaxResponseBytes} bytes)");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    /// <summary>What client-go's REST client makes of an answer: a Status on failure, the object on 2xx.</summary>
    private static JsonObject Decode(HttpResponseMessage response, byte[] bytes)
    {
        int code = (int)response.StatusCode;
        var contentType = response.Content.Headers.ContentType?.ToString() ?? "";
        JsonNode? node = null;
        string? parseError = null;
        if (bytes.Length > 0)
        {
            try
            {
                // Go's decoder turns invalid UTF-8 into U+FFFD instead of failing; so do we.
                node = JsonNode.Parse(Encoding.UTF8.GetString(bytes));
            }
            catch (JsonException e)
            {
                parseError = e.Message;
            }
        }
        if (code is < 200 or > 299)
        {
            if (node is JsonObject status && status["kind"] is JsonValue k && k.TryGetValue<string>(out var kind) && kind == "Status"
                && status["message"] is JsonValue m && m.TryGetValue<string>(out var message) && message.Length > 0)
                throw new WebhookCallException(message);
            var text = Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 1024))).Trim();
            throw new WebhookCallException(code >= 500 && text.Length > 0
                ? $"an error on the server (\"{text}\") has prevented the request from succeeding"
                : $"the server responded with the status code {code} but did not return more information");
        }
        if (bytes.Length == 0)
            throw new WebhookCallException($"0-length response with status code: {code} and content type: {contentType}");
        if (parseError is not null)
            throw new WebhookCallException($"couldn't get version/kind; json parse error: {parseError}");
        return node as JsonObject
            ?? throw new WebhookCallException($"couldn't get version/kind; json parse error: json: cannot unmarshal {JsonKind(node)} into Go value of type struct {{ APIVersion string; Kind string }}");
    }

    private static string JsonKind(JsonNode? node) => node switch
    {
        JsonArray => "array",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "string",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => "number",
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };

    /// <summary>Go's net/http and crypto/tls wording for what went wrong on the way.</summary>
    private string Describe(HttpRequestException e, string host)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case WebhookCallException resolve:
                    return resolve.Message;
                case SocketException s:
                    var target = s.Data["dial"] as string ?? host;
                    return s.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => $"dial tcp {target}: connect: connection refused",
                        SocketError.TimedOut => $"dial tcp {target}: i/o timeout",
                        SocketError.HostNotFound or SocketError.NoData => $"dial tcp: lookup {host}: no such host",
                        _ => $"dial tcp {target}: {s.Message}",
                    };
                case AuthenticationException:
                    return _tlsFailures.TryGetValue(host, out var why) ? why : "tls: handshake failure";
                case IOException io when io.InnerException is null:
                    return io.Message.Contains("EOF", StringComparison.OrdinalIgnoreCase) || io.Message.Contains("closed", StringComparison.OrdinalIgnoreCase)
                        ? "EOF" : io.Message;
            }
        }
        return e.Message;
    }

    private HttpClient CreateClient(string caBundlePem)
    {
        var roots = new X509Certificate2Collection();
        if (caBundlePem.Length > 0)
        {
            try
            {
                roots.ImportFromPem(caBundlePem);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // An unparseable bundle trusts nothing: every handshake fails, as in Go.
            }
        }
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
            ConnectCallback = ConnectAsync,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, _, errors) =>
            Verify(sender as SslStream, certificate, errors, caBundlePem.Length > 0 ? roots : null);
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Dials the service's endpoint instead of the URL's host (name.namespace.svc does not resolve here).</summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var (host, port) = context.InitialRequestMessage.Options.TryGetValue(DialTo, out var target)
            ? target
            : (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (IPAddress.TryParse(host, out var ip))
                await socket.ConnectAsync(new IPEndPoint(ip, port), ct);
            else
                await socket.ConnectAsync(new DnsEndPoint(host, port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            e.Data["dial"] = $"{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}";
            throw;
        }
    }

    private bool Verify(SslStream? stream, X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? roots)
    {
        var host = stream?.TargetHostName ?? "";
        string? failure = null;
        if (certificate is null)
            failure = "tls: server did not present a certificate";
        else if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            failure = $"tls: failed to verify certificate: x509: certificate is not valid for {host}";
        else if (roots is null)
        {
            if (errors != SslPolicyErrors.None)
                failure = "tls: failed to verify certificate: x509: certificate signed by unknown authority";
        }
        else
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            if (!chain.Build(leaf))
            {
                var expired = chain.ChainStatus.Any(s => s.Status is X509ChainStatusFlags.NotTimeValid);
                failure = expired
                    ? "tls: failed to verify certificate: x509: certificate has expired or is not yet valid"
                    : "tls: failed to verify certificate: x509: certificate signed by unknown authority";
            }
        }
        if (failure is null)
            return true;
        _tlsFailures[host] = failure;
        return false;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
            client.Dispose();
        _clients.Clear();
    }
}
