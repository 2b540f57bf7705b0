using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// One prefix this node sends one BGPPeer, typed as the BGP engine takes it. LocalPref is what
/// goes on the wire: the advertisement's value on iBGP sessions, 0 on eBGP or when unset.
/// Communities are distinct and sorted (standard before large, then by value).
/// </summary>
public sealed record NodeRoute(string Peer, IpPrefix Prefix, uint LocalPref, IReadOnlyList<BgpCommunity> Communities)
{
    // Records compare lists by reference; a route is a value, so compare the communities.
    public bool Equals(NodeRoute? other) =>
        other is not null && Peer == other.Peer && Prefix == other.Prefix
        && LocalPref == other.LocalPref && Communities.SequenceEqual(other.Communities);

    public override int GetHashCode() => HashCode.Combine(Peer, Prefix, LocalPref, Communities.Count);

    public override string ToString() =>
        $"{Peer}: {Prefix} localPref={LocalPref} communities=[{string.Join(",", Communities)}]";
}
