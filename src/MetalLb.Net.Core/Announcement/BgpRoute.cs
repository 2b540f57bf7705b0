using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// One prefix one node sends one BGPPeer (the plan contract's "bgp" entry). LocalPref is what
/// goes on the wire: the advertisement's value on iBGP sessions, 0 on eBGP or when unset.
/// Communities are sorted strings ("65535:65282", "large:1:2:3").
/// </summary>
public sealed record BgpRoute(
    string Node,
    string Peer,
    IpPrefix Prefix,
    uint LocalPref,
    IReadOnlyList<string> Communities)
{
    // Records compare lists by reference; routes are values, so compare the strings.
    public bool Equals(BgpRoute? other) =>
        other is not null && Node == other.Node && Peer == other.Peer && Prefix == other.Prefix
        && LocalPref == other.LocalPref && Communities.SequenceEqual(other.Communities);

    public override int GetHashCode() => HashCode.Combine(Node, Peer, Prefix, LocalPref, Communities.Count);

    public override string ToString() =>
        $"{Node} -> {Peer}: {Prefix} localPref={LocalPref} communities=[{string.Join(",", Communities)}]";
}
