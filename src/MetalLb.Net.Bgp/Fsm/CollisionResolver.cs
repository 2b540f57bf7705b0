namespace MetalLb.Net.Bgp.Fsm;

/// <summary>Which of two connections to the same peer survives (RFC 4271 §6.8).</summary>
public static class CollisionResolver
{
    /// <summary>
    /// True when the connection we initiated is kept: the speaker with the higher BGP
    /// Identifier keeps the connection it opened. Identifiers compare as unsigned integers.
    /// </summary>
    public static bool KeepLocallyInitiated(uint localRouterId, uint remoteRouterId) => localRouterId > remoteRouterId;
}
