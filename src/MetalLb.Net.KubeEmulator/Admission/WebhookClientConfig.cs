using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Admission;

/// <summary>
/// admissionregistration/v1 WebhookClientConfig (also apiextensions/v1's, same shape): a
/// <c>url</c>, or a <c>service</c> (namespace, name, path, port 443 by default) reached at
/// https://name.namespace.svc:port/path, and the PEM <c>caBundle</c> that alone is trusted
/// (empty: the system roots, as the real server does).
/// </summary>
internal sealed record WebhookClientConfig(string? Url, string? ServiceNamespace, string? ServiceName, string ServicePath, int ServicePort, string? CaBundlePem)
{
    /// <summary>The server name the certificate must carry for a service reference.</summary>
    public string? ServiceHost => ServiceName is null ? null : $"{ServiceName}.{ServiceNamespace}.svc";

    /// <summary>The URL the real server posts to (before it adds ?timeout=), also what its errors show.</summary>
    public string BaseUrl => Url ?? $"https://{ServiceHost}:{ServicePort.ToString(CultureInfo.InvariantCulture)}{ServicePath}";

    public static bool TryParse(JsonNode? node, out WebhookClientConfig config, out string error)
    {
        config = new WebhookClientConfig(null, null, null, "", 443, null);
        error = "";
        if (node is not JsonObject cc)
        {
            error = "clientConfig is missing";
            return false;
        }
        string? ca = null;
        if (cc["caBundle"] is JsonValue caValue && caValue.TryGetValue<string>(out var caText) && caText.Length > 0)
        {
            try
            {
                ca = Encoding.ASCII.GetString(Convert.FromBase64String(caText));
            }
            catch (FormatException)
            {
                error = "unable to load root certificates: caBundle is not base64";
                return false;
            }
        }
        var url = Str(cc, "url");
        var service = cc["service"] as JsonObject;
        if ((url is null) == (service is null))
        {
            error = "exactly one of url or service is required";
            return false;
        }
        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme != "https")
            {
                error = $"invalid webhook url \"{url}\": 'https' is the only allowed URL scheme";
                return false;
            }
            config = config with { Url = url, CaBundlePem = ca };
            return true;
        }
        var ns = Str(service!, "namespace");
        var name = Str(service!, "name");
        if (string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name))
        {
            error = "service namespace and name are required";
            return false;
        }
        int port = 443;
        if (service!["port"] is JsonValue p && (!p.TryGetValue<int>(out port) || port is < 1 or > 65535))
        {
            error = "service port must be a valid port number";
            return false;
        }
        var path = Str(service, "path") ?? "";
        if (path.Length > 0 && !path.StartsWith('/'))
            path = "/" + path;
        config = new WebhookClientConfig(null, ns, name, path, port, ca);
        return true;
    }

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
