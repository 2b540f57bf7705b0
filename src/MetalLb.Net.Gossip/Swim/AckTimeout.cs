namespace MetalLb.Net.Gossip.Swim;

/// <summary>
/// Not in memberlist: how long to wait for one member's ack, learned from its direct acks the
/// way TCP learns its retransmission timeout (RFC 6298: SRTT and RTTVAR, RTO = SRTT + 4 RTTVAR).
/// A member whose acks take 80 ms because its CPU is throttled (a container at its CPU limit, a
/// BestEffort Pod on a busy node) is then given that long, and its suspicions last longer,
/// instead of being suspected every few seconds and, now and then, declared dead. A member
/// that answers in a millisecond keeps the configured timeout, so a dead or cut one is found
/// as fast as before.
/// </summary>
internal static class AckTimeout
{
    /// <summary>RFC 6298 §2: alpha 1/8, beta 1/4.</summary>
    public static void Sample(NodeState member, TimeSpan rtt)
    {
        double ms = rtt.TotalMilliseconds;
        if (member.SrttMs is not { } srtt)
        {
            member.SrttMs = ms;
            member.RttVarMs = ms / 2;
            return;
        }
        member.RttVarMs = 0.75 * member.RttVarMs + 0.25 * Math.Abs(srtt - ms);
        member.SrttMs = 0.875 * srtt + 0.125 * ms;
    }

    /// <summary>SRTT + 4 RTTVAR, never below <paramref name="floor"/> (the configured timeout) nor above <paramref name="cap"/>.</summary>
    public static TimeSpan For(NodeState member, TimeSpan floor, TimeSpan cap)
    {
        if (member.SrttMs is not { } srtt)
            return floor;
        var rto = TimeSpan.FromMilliseconds(srtt + 4 * member.RttVarMs);
        return rto < floor ? floor : rto > cap ? cap : rto;
    }
}
