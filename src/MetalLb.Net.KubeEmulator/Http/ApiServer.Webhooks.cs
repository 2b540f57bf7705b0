using System.Globalization;
using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Admission;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Http;

/// <summary>
/// What admission and conversion webhooks need from the server (<see cref="IWebhookHost"/>):
/// the stored webhook configurations, Namespaces, conversion between a resource's versions,
/// and service resolution for webhook client configs.
/// </summary>
internal sealed partial class ApiServer : IWebhookHost
{
    private const string ValidatingConfigurationsKey = "admissionregistration.k8s.io/validatingwebhookconfigurations";
    private WebhookTransport? _webhookTransport;
    private ValidatingDispatcher? _validating;
    private ConversionReview? _conversion;

    private WebhookTransport WebhookTransport => LazyInitializer.EnsureInitialized(ref _webhookTransport);

    private ValidatingDispatcher Validating => LazyInitializer.EnsureInitialized(ref _validating, () => new ValidatingDispatcher(this, WebhookTransport));

    private ConversionReview Conversion => LazyInitializer.EnsureInitialized(ref _conversion, () => new ConversionReview(WebhookTransport, Resolve));

    public IReadOnlyList<JsonObject> ValidatingConfigurations() =>
        Store.List(ValidatingConfigurationsKey, null).Items.Select(kv => kv.Value).ToList();

    public JsonObject? Namespace(string name) => Store.Get("namespaces", null, name);

    /// <summary>
    /// The object at <paramref name="version"/>: itself when already there, a ConversionReview
    /// for a CRD with a conversion webhook, else only apiVersion rewritten (strategy None).
    /// </summary>
    public async ValueTask<JsonObject> ConvertAsync(ResourceType type, JsonObject obj, string version, CancellationToken cancellationToken) =>
        (await ConvertManyAsync(type, [obj], version, cancellationToken))[0];

    /// <summary>Like <see cref="ConvertAsync"/> for a list: one ConversionReview for every object that needs it.</summary>
    public async ValueTask<List<JsonObject>> ConvertManyAsync(ResourceType type, List<JsonObject> objects, string version, CancellationToken cancellationToken)
    {
        var apiVersion = type.ApiVersion(version);
        if (objects.TrueForAll(o => Meta.Str(o, "apiVersion") == apiVersion))
            return objects;
        if (type.ConversionWebhook is { } webhook)
            return await Conversion.ConvertAsync(type, webhook, objects, version, cancellationToken);
        return objects.ConvertAll(o =>
        {
            if (Meta.Str(o, "apiVersion") == apiVersion)
                return o;
            var copy = (JsonObject)o.DeepClone();
            copy["apiVersion"] = apiVersion;
            return copy;
        });
    }

    /// <summary>
    /// A service reference's endpoint: EmulatorOptions.WebhookServices first, then as
    /// kube-apiserver's endpoint routing does it (the Service port, then a ready endpoint
    /// for that port's name), with the real resolver's errors.
    /// </summary>
    public (string Host, int Port)? Resolve(WebhookClientConfig config)
    {
        if (config.ServiceName is not { } name)
            return null;
        var ns = config.ServiceNamespace!;
        if (_options.WebhookServices.TryGetValue($"{ns}/{name}", out var mapped))
        {
            int colon = mapped.LastIndexOf(':');
            if (colon > 0 && int.TryParse(mapped[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var mappedPort))
                return (mapped[..colon].Trim('[', ']'), mappedPort);
        }
        var service = Store.Get("services", ns, name) ?? throw new WebhookCallException($"service \"{name}\" not found");
        var type = Meta.Str(service, "spec", "type") ?? "ClusterIP";
        if (type is not ("ClusterIP" or "LoadBalancer" or "NodePort"))
            throw new WebhookCallException($"unsupported service type \"{type}\"");
        var port = (Meta.At(service, "spec", "ports") as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(p => p["port"] is JsonValue v && v.TryGetValue<int>(out var n) && n == config.ServicePort)
            ?? throw new WebhookCallException($"no service port {config.ServicePort} found for service \"{name}\"");
        var portName = Meta.Str(port, "name") ?? "";
        return FromEndpointSlices(ns, name, portName) ?? FromEndpoints(ns, name, portName)
            ?? throw new WebhookCallException($"no endpoints available for service \"{name}\"");
    }

    private (string, int)? FromEndpointSlices(string ns, string service, string portName)
    {
        foreach (var (_, slice) in Store.List("discovery.k8s.io/endpointslices", ns).Items)
        {
            if (Meta.Str(slice, "metadata", "labels", "kubernetes.io/service-name") != service)
                continue;
            var port = (slice["ports"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(p => (Meta.Str(p, "name") ?? "") == portName);
            if (port?["port"] is not JsonValue pv || !pv.TryGetValue<int>(out var number))
                continue;
            foreach (var endpoint in (slice["endpoints"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                // A nil ready condition counts as ready (discovery/v1 semantics).
                if (Meta.At(endpoint, "conditions", "ready") is JsonValue ready && ready.TryGetValue<bool>(out var r) && !r)
                    continue;
                if ((endpoint["addresses"] as JsonArray)?.FirstOrDefault() is JsonValue a && a.TryGetValue<string>(out var address))
                    return (address, number);
            }
        }
        return null;
    }

    private (string, int)? FromEndpoints(string ns, string service, string portName)
    {
        var endpoints = Store.Get("endpoints", ns, service);
        foreach (var subset in (endpoints?["subsets"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var address = (subset["addresses"] as JsonArray)?.OfType<JsonObject>().Select(a => Meta.Str(a, "ip")).FirstOrDefault(ip => ip is not null);
            var port = (subset["ports"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(p => (Meta.Str(p, "name") ?? "") == portName);
            if (address is not null && port?["port"] is JsonValue pv && pv.TryGetValue<int>(out var number))
                return (address, number);
        }
        return null;
    }
}
