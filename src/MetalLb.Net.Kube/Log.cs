using System.Net;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Kube;

/// <summary>
/// The Kubernetes client's log events (EventIds 2101-2199, stable). A watch restart or a relist
/// is Information (it is a state change of the cache); a handler exception or a failed list is a
/// Warning (an operator should see it); every reconnect of a cut watch is Debug (routine).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(2101, LogLevel.Warning, "Informer handler for {Kind} {Key} threw on {Change}; the informer carries on")]
    public static partial void HandlerFailed(ILogger logger, string kind, string key, string change, Exception exception);

    [LoggerMessage(2102, LogLevel.Information, "Watch of {Kind} got 410 Gone at resourceVersion {ResourceVersion}; relisting")]
    public static partial void WatchGone(ILogger logger, string kind, string resourceVersion);

    [LoggerMessage(2103, LogLevel.Information, "Relist of {Kind} done: {Count} objects at resourceVersion {ResourceVersion} (relist {Relists})")]
    public static partial void Relisted(ILogger logger, string kind, int count, string resourceVersion, int relists);

    [LoggerMessage(2104, LogLevel.Warning, "List of {Kind} failed; retrying in {Delay}: {Reason}")]
    public static partial void ListFailed(ILogger logger, string kind, TimeSpan delay, string reason);

    [LoggerMessage(2105, LogLevel.Debug, "Watch of {Kind} ended at resourceVersion {ResourceVersion} (progressed: {Progressed}); reconnecting")]
    public static partial void WatchEnded(ILogger logger, string kind, string resourceVersion, bool progressed);

    [LoggerMessage(2106, LogLevel.Debug, "Watch of {Kind} failed at resourceVersion {ResourceVersion}: {Reason}")]
    public static partial void WatchFailed(ILogger logger, string kind, string resourceVersion, string reason);

    [LoggerMessage(2107, LogLevel.Warning, "Watch of {Kind} refused by the API server ({Reason}): the cache no longer follows changes; check the Role granting watch. Logged once until a watch succeeds")]
    public static partial void WatchRefused(ILogger logger, string kind, string reason);

    [LoggerMessage(2111, LogLevel.Information, "Became leader of lease {Namespace}/{Lease} as {Identity}")]
    public static partial void BecameLeader(ILogger logger, string @namespace, string lease, string identity);

    [LoggerMessage(2112, LogLevel.Warning, "Lost leadership of lease {Namespace}/{Lease}: not renewed within {RenewDeadline}")]
    public static partial void LostLeadership(ILogger logger, string @namespace, string lease, TimeSpan renewDeadline);

    [LoggerMessage(2113, LogLevel.Information, "Stepped down from lease {Namespace}/{Lease} on shutdown")]
    public static partial void SteppedDown(ILogger logger, string @namespace, string lease);

    [LoggerMessage(2114, LogLevel.Information, "Lease {Namespace}/{Lease} is now held by {Holder}")]
    public static partial void NewLeader(ILogger logger, string @namespace, string lease, string holder);

    [LoggerMessage(2115, LogLevel.Debug, "Lease {Namespace}/{Lease} not acquired or renewed this round: {Reason}")]
    public static partial void LeaseAttemptFailed(ILogger logger, string @namespace, string lease, string reason);

    [LoggerMessage(2116, LogLevel.Warning, "Could not release lease {Namespace}/{Lease} on shutdown; others take over once it expires: {Reason}")]
    public static partial void ReleaseFailed(ILogger logger, string @namespace, string lease, string reason);

    [LoggerMessage(2117, LogLevel.Warning, "Lease {Namespace}/{Lease} cannot be taken or renewed: the API server refused it ({Reason}); check the Role granting get, create and update on leases. Logged once until a write succeeds")]
    public static partial void LeaseRefused(ILogger logger, string @namespace, string lease, string reason);

    /// <summary>
    /// One line for an exception in a log message: the API's status when there is one. A
    /// KubeApiException's message already starts with the code and reason ("403 Forbidden: ..."),
    /// so it is used as it is rather than prefixed a second time.
    /// </summary>
    public static string Reason(Exception e) => e switch
    {
        Rest.KubeApiException api => api.Message,
        HttpRequestException { StatusCode: HttpStatusCode code } http => $"{(int)code}: {http.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
