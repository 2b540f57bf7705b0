namespace MetalLb.Net.KubeEmulator;

/// <summary>How an <see cref="EmulatorServer"/> listens and behaves.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Serve https with a certificate from the emulator's own CA. <value>false by default.</value></summary>
    public bool UseHttps { get; set; }

    /// <summary>
    /// When set, every request must carry "Authorization: Bearer &lt;token&gt;"; others get 401.
    /// <value>null (no authentication) by default.</value>
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>The loopback port to listen on. <value>0 (a free port) by default.</value></summary>
    public int Port { get; set; }

    /// <summary>
    /// Events kept for watch resume; a watch or continue token older than the oldest kept event
    /// gets 410 Expired. <value>1000 by default.</value>
    /// </summary>
    public int HistoryLimit { get; set; } = 1000;

    /// <summary>How often a watch with allowWatchBookmarks=true gets a BOOKMARK. <value>10 seconds by default.</value></summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock for creationTimestamp, deletionTimestamp and AGE. <value>TimeProvider.System by default.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Called after every request with "METHOD path?query -> status", for test diagnostics.
    /// <value>null by default.</value>
    /// </summary>
    public Action<string>? RequestLog { get; set; }

    /// <summary>
    /// Where a webhook's <c>service</c> reference is reached, "namespace/name" to "host:port"
    /// (e.g. a webhook server the test started on 127.0.0.1). A service not listed here is
    /// resolved the way kube-apiserver with --enable-aggregator-routing does: the Service's
    /// port, then a ready endpoint of its EndpointSlices (or Endpoints) for that port.
    /// <value>Empty by default.</value>
    /// </summary>
    public IDictionary<string, string> WebhookServices { get; } = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
}
