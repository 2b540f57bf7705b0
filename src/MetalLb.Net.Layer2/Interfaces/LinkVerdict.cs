namespace MetalLb.Net.Layer2.Interfaces;

/// <summary>Whether a link gets responders, and if not, why not.</summary>
public enum LinkVerdict
{
    Eligible,
    Down,
    Enslaved,
    NoArp,
    Excluded,
}
