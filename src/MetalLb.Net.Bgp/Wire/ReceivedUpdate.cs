using System.Net;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// What an UPDATE means after RFC 7606 checks: the reaction, the routes it announces and
/// withdraws (after treat-as-withdraw), and the attributes that survived.
/// </summary>
public sealed class ReceivedUpdate
{
    public UpdateErrorAction Action { get; internal set; }
    /// <summary>The NOTIFICATION to send when <see cref="Action"/> is SessionReset.</summary>
    public BgpError Error { get; internal set; }
    /// <summary>Why each error action was taken, for logs.</summary>
    public List<string> Problems { get; } = [];

    public List<NlriPrefix> Announced { get; } = [];
    public List<NlriPrefix> Withdrawn { get; } = [];

    public Origin? Origin { get; internal set; }
    /// <summary>The AS path, with AS4_PATH merged in when the session is 2-octet (RFC 6793 §4.2.3).</summary>
    public List<AsPathSegment> AsPath { get; internal set; } = [];
    public IPAddress? NextHop { get; internal set; }
    public List<IPAddress> MpNextHops { get; } = [];
    public uint? MultiExitDisc { get; internal set; }
    public uint? LocalPref { get; internal set; }
    public List<uint> Communities { get; } = [];
    public List<LargeCommunity> LargeCommunities { get; } = [];
    /// <summary>Unrecognized optional attributes, kept as received.</summary>
    public List<PathAttribute> Unrecognized { get; } = [];

    /// <summary>End-of-RIB (RFC 4724 §2): an UPDATE without routes or attributes, or an empty MP_UNREACH.</summary>
    public bool IsEndOfRib { get; internal set; }

    internal void Escalate(UpdateErrorAction action, string problem, BgpError error = default)
    {
        Problems.Add(problem);
        if (action <= Action)
            return;
        Action = action;
        if (action == UpdateErrorAction.SessionReset)
            Error = error;
    }
}
