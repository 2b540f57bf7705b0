using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Layer2;

/// <summary>The layer 2 announcer's log events; EventIds are stable (13xx).</summary>
internal static partial class Log
{
    [LoggerMessage(1301, LogLevel.Information, "Answering ARP/NDP on link {Link} ({Mac}): arp={Arp} ndp={Ndp}")]
    public static partial void LinkStarted(ILogger logger, string link, string mac, bool arp, bool ndp);

    [LoggerMessage(1302, LogLevel.Information, "Stopped answering on link {Link}")]
    public static partial void LinkStopped(ILogger logger, string link);

    [LoggerMessage(1303, LogLevel.Warning, "Could not open responder sockets on link {Link}; retrying at the next scan")]
    public static partial void LinkOpenFailed(ILogger logger, string link, Exception exception);

    [LoggerMessage(1304, LogLevel.Warning, "Listing links failed; keeping the current responders until the next scan")]
    public static partial void ScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(1305, LogLevel.Information, "Announcing {Ip} on {Interfaces}")]
    public static partial void Announcing(ILogger logger, string ip, string interfaces);

    [LoggerMessage(1306, LogLevel.Information, "Withdrew {Ip}")]
    public static partial void Withdrew(ILogger logger, string ip);
}
