using MetalLb.Net.Bgp.Fsm;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Bgp.Session;

/// <summary>The BGP engine's log events; EventIds are stable (12xx).</summary>
internal static partial class Log
{
    [LoggerMessage(1201, LogLevel.Information, "BGP session {Name} to {Peer} is {State} (was {From}): {Reason}")]
    public static partial void SessionStateChanged(ILogger logger, string name, string peer, BgpState state, BgpState from, TransitionReason reason);

    [LoggerMessage(1202, LogLevel.Warning, "BGP session {Name} to {Peer} went down: {Reason}, NOTIFICATION {Code}/{Subcode}")]
    public static partial void SessionDown(ILogger logger, string name, string peer, TransitionReason reason, Wire.BgpErrorCode code, byte subcode);

    [LoggerMessage(1203, LogLevel.Debug, "BGP session {Name} to {Peer}: sent {Updates} UPDATEs ({Announced} prefixes announced, {Withdrawn} withdrawn)")]
    public static partial void UpdatesSent(ILogger logger, string name, string peer, int updates, int announced, int withdrawn);

    [LoggerMessage(1204, LogLevel.Warning, "BGP session {Name} to {Peer}: malformed UPDATE handled by {Action} (RFC 7606): {Problems}")]
    public static partial void MalformedUpdate(ILogger logger, string name, string peer, Wire.UpdateErrorAction action, string problems);

    [LoggerMessage(1205, LogLevel.Error, "BGP session {Name} to {Peer} stopped on an unexpected error; it stays down until its BGPPeer changes")]
    public static partial void SessionFaulted(ILogger logger, string name, string peer, Exception error);
}
