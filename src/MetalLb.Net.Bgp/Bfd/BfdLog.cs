using System.Net;
using MetalLb.Net.Bgp.Bfd.Wire;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>The BFD engine's log events; EventIds are stable (13xx).</summary>
internal static partial class BfdLog
{
    [LoggerMessage(1301, LogLevel.Information, "BFD session {Key} to {Peer} is {State} (was {From}), diagnostic {Diagnostic}, peer says {RemoteState}")]
    public static partial void StateChanged(ILogger logger, string key, IPAddress peer, BfdState state, BfdState from, BfdDiagnostic diagnostic, BfdState remoteState);

    [LoggerMessage(1302, LogLevel.Warning, "BFD session {Key} to {Peer}: echo mode is configured but not implemented; the session runs in asynchronous mode without echo")]
    public static partial void EchoNotImplemented(ILogger logger, string key, IPAddress peer);

    [LoggerMessage(1303, LogLevel.Debug, "BFD packet from {Source} dropped: {Reason}")]
    public static partial void Dropped(ILogger logger, IPAddress source, BfdDropReason reason);

    [LoggerMessage(1304, LogLevel.Warning, "BFD session {Key} to {Peer} could not be opened: {Error}")]
    public static partial void OpenFailed(ILogger logger, string key, IPAddress peer, string error);
}
