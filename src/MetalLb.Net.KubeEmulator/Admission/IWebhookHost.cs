using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Admission;

/// <summary>What admission and conversion need from the API server around them.</summary>
internal interface IWebhookHost
{
    /// <summary>Every stored ValidatingWebhookConfiguration, ordered by name (the real server's order).</summary>
    IReadOnlyList<JsonObject> ValidatingConfigurations();

    /// <summary>The stored Namespace, or null.</summary>
    JsonObject? Namespace(string name);

    /// <summary>The object as <paramref name="version"/> shows it (a conversion webhook call for Webhook CRDs).</summary>
    ValueTask<JsonObject> ConvertAsync(ResourceType type, JsonObject obj, string version, CancellationToken cancellationToken);

    /// <summary>
    /// Where to connect for a service reference (endpoint address and port), or null to use the
    /// URL's own host; throws <see cref="WebhookCallException"/> with the real resolver's error.
    /// </summary>
    (string Host, int Port)? Resolve(WebhookClientConfig config);
}
