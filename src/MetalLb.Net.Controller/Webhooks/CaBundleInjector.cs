using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>
/// Writes the CA bundle into every webhook of the ValidatingWebhookConfiguration and into the
/// BGPPeer CRD's conversion webhook, with a JSON patch that first tests the resourceVersion
/// (a replica that read an older object gets 409 and tries again on its next round). The new
/// bundle is merged with what is there: our CAs still valid are kept, so a replica holding an
/// older Secret can never take away a CA another replica's certificate needs.
/// </summary>
internal sealed class CaBundleInjector(KubeClient client, WebhookSettings settings)
{
    // What each object carried after our last successful read or write: a lost race (409)
    // changes nothing the API server trusts, so readiness keeps this until the next round.
    private readonly Dictionary<string, IReadOnlyList<X509Certificate2>> _last = new(StringComparer.Ordinal);

    /// <summary>Subject prefix of the CAs we make (CertificatePlanner), the only ones we carry over.</summary>
    public const string OurCaPrefix = "CN=metallb-webhook-ca-";

    private static readonly ResourceInfo WebhookConfigurations = new(
        "admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false);

    private static readonly ResourceInfo Crds = new(
        "apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false);

    /// <summary>Injects <paramref name="bundle"/>; returns, per target, the CAs it now carries, or why it carries none.</summary>
    public async Task<IReadOnlyList<InjectionTarget>> InjectAsync(IReadOnlyList<X509Certificate2> bundle, DateTimeOffset now, CancellationToken ct) =>
    [
        await InjectAsync(WebhookConfigurations, WebhookSettings.ConfigurationName, "ValidatingWebhookConfiguration", ClientConfigsOfWebhooks, bundle, now, ct).ConfigureAwait(false),
        await InjectAsync(Crds, WebhookSettings.ConvertedCrd, "CustomResourceDefinition", ClientConfigOfConversion, bundle, now, ct).ConfigureAwait(false),
    ];

    private async Task<InjectionTarget> InjectAsync(ResourceInfo resource, string name, string kind,
        Func<JsonObject, IEnumerable<(string Path, JsonObject Config)>?> locate,
        IReadOnlyList<X509Certificate2> bundle, DateTimeOffset now, CancellationToken ct)
    {
        string what = $"{kind} {name}";
        var api = client.Generic(resource);
        JsonObject obj;
        try
        {
            obj = JsonNode.Parse((await api.GetAsync(null, name, ct).ConfigureAwait(false)).ToJson())!.AsObject();
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return new InjectionTarget(what, null, $"{what} not found: install it (the chart does) or run with --webhook-mode=disabled");
        }
        var configs = locate(obj)?.ToList();
        if (configs is null)
            return new InjectionTarget(what, null, null, NotApplicable: true);
        if (configs.Count == 0)
            return new InjectionTarget(what, null, $"{what} has no webhook to inject a caBundle into");
        // JsonNode-typed adds: JsonArray.Add<T> (what a JsonObject argument binds to) wraps any T
        // in a JsonValue by reflection, which Native AOT cannot do (IL3050).
        var patch = new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/metadata/resourceVersion", ["value"] = obj["metadata"]?["resourceVersion"]?.DeepClone() });
        IReadOnlyList<X509Certificate2>? carried = null;
        foreach (var (path, config) in configs)
        {
            var existing = Decode(config["caBundle"]);
            var desired = bundle.Concat(existing.Where(c => c.Subject.StartsWith(OurCaPrefix, StringComparison.Ordinal)
                    && CertificatePlanner.Utc(c.NotAfter) > now.UtcDateTime && bundle.All(b => b.Thumbprint != c.Thumbprint)))
                .ToList();
            if (!desired.Select(c => c.Thumbprint).ToHashSet().SetEquals(existing.Select(c => c.Thumbprint)))
                patch.Add((JsonNode)new JsonObject { ["op"] = "add", ["path"] = path + "/caBundle", ["value"] = Encode(desired) });
            carried = carried is null ? desired : [.. carried.Where(c => desired.Any(d => d.Thumbprint == c.Thumbprint))];
        }
        if (patch.Count > 1)
        {
            try
            {
                await api.PatchAsync(null, name, PatchType.Json, patch.ToJsonString(), ct: ct).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotFound)
            {
                // Changed (or gone) since we read it: the next round reads it again.
                return new InjectionTarget(what, _last.GetValueOrDefault(what), $"{what} changed while the caBundle was written; retrying");
            }
        }
        _last[what] = carried!;
        return new InjectionTarget(what, carried, null);
    }

    /// <summary>webhooks[*].clientConfig of the configuration, only those calling our Service (or every one without a service).</summary>
    private IEnumerable<(string, JsonObject)>? ClientConfigsOfWebhooks(JsonObject obj)
    {
        if (obj["webhooks"] is not JsonArray webhooks) return [];
        var found = new List<(string, JsonObject)>();
        for (int i = 0; i < webhooks.Count; i++)
        {
            if (webhooks[i]?["clientConfig"] is JsonObject config && CallsUs(config))
                found.Add(($"/webhooks/{i}/clientConfig", config));
        }
        return found;
    }

    /// <summary>spec.conversion.webhook.clientConfig, or null when the CRD does not convert by webhook.</summary>
    private IEnumerable<(string, JsonObject)>? ClientConfigOfConversion(JsonObject obj)
    {
        if (obj["spec"]?["conversion"] is not JsonObject conversion || (conversion["strategy"] as JsonValue)?.ToString() != "Webhook")
            return null;
        return conversion["webhook"]?["clientConfig"] is JsonObject config && CallsUs(config)
            ? [("/spec/conversion/webhook/clientConfig", config)]
            : [];
    }

    private bool CallsUs(JsonObject config) =>
        config["service"] is not JsonObject service || (service["name"] as JsonValue)?.ToString() == settings.ServiceName;

    private static List<X509Certificate2> Decode(JsonNode? caBundle)
    {
        if (caBundle is not JsonValue v || !v.TryGetValue<string>(out var text)) return [];
        try
        {
            return [.. CertificateMaterial.ParseBundle(Encoding.ASCII.GetString(Convert.FromBase64String(text)))];
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return [];   // not ours to understand: replaced by our bundle
        }
    }

    private static string Encode(IEnumerable<X509Certificate2> certs)
    {
        var pem = new StringBuilder();
        foreach (var c in certs)
            pem.Append(c.ExportCertificatePem()).Append('\n');
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(pem.ToString()));
    }
}

/// <summary>One object the bundle goes into: the CAs it carries now (null if none), or why not.</summary>
internal sealed record InjectionTarget(string What, IReadOnlyList<X509Certificate2>? Carried, string? Problem, bool NotApplicable = false)
{
    public bool Carries(X509Certificate2 ca) => NotApplicable || Carried?.Any(c => c.Thumbprint == ca.Thumbprint) == true;
}
