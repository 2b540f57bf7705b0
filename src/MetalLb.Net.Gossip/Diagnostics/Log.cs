using System.Net;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Gossip.Diagnostics;

/// <summary>The gossip member's log events; EventIds are stable (14xx). Logged at the edge (GossipMember), never inside the engine.</summary>
internal static partial class Log
{
    [LoggerMessage(1401, LogLevel.Information, "Gossip member {Member} joined ({Address}, incarnation {Incarnation})")]
    public static partial void MemberJoined(ILogger logger, string member, IPEndPoint address, uint incarnation);

    [LoggerMessage(1402, LogLevel.Information, "Gossip member {Member} left ({Address})")]
    public static partial void MemberLeft(ILogger logger, string member, IPEndPoint address);

    [LoggerMessage(1403, LogLevel.Warning, "Gossip member {Member} declared dead ({Address}): it stopped answering probes and did not refute the suspicion")]
    public static partial void MemberFailed(ILogger logger, string member, IPEndPoint address);

    [LoggerMessage(1404, LogLevel.Debug, "Gossip member {Member} updated its address or metadata ({Address})")]
    public static partial void MemberUpdated(ILogger logger, string member, IPEndPoint address);

    [LoggerMessage(1405, LogLevel.Information, "Gossip member {Member} listening on {EndPoint}: probe every {ProbeInterval} (timeout {ProbeTimeout}), gossip every {GossipInterval}, encrypted {Encrypted}")]
    public static partial void Started(ILogger logger, string member, IPEndPoint endPoint, TimeSpan probeInterval, TimeSpan probeTimeout, TimeSpan gossipInterval, bool encrypted);

    [LoggerMessage(1406, LogLevel.Information, "Gossip member {Member} joined the cluster through {Answered} of {Tried} addresses")]
    public static partial void JoinedCluster(ILogger logger, string member, int answered, int tried);

    [LoggerMessage(1407, LogLevel.Information, "Gossip member {Member} leaving the cluster")]
    public static partial void Leaving(ILogger logger, string member);
}
