namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// The reaction RFC 7606 §2 prescribes for a malformed UPDATE, strongest last; when several
/// attributes are bad the strongest wins (§3 j).
/// </summary>
public enum UpdateErrorAction
{
    None = 0,
    /// <summary>Drop the bad attribute, keep the routes (§2 "attribute discard").</summary>
    AttributeDiscard = 1,
    /// <summary>Handle every NLRI of the UPDATE as withdrawn (§2 "treat-as-withdraw").</summary>
    TreatAsWithdraw = 2,
    /// <summary>NOTIFICATION and close (§2 "session reset").</summary>
    SessionReset = 3,
}
