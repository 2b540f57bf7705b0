using System.Net;
using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Bench;

internal static class Profiles
{
    /// <summary>fast, lan, or auto (<see cref="MemberlistOptions.ForClusterSize"/> for the cluster's size).</summary>
    public static Func<string, IPEndPoint, MemberlistOptions> For(string profile, int members) => profile switch
    {
        "fast" => MemberlistOptions.Fast,
        "lan" => MemberlistOptions.Lan,
        "auto" => (name, address) => MemberlistOptions.ForClusterSize(name, address, members),
        _ => throw new ArgumentException($"unknown profile {profile}: fast, lan or auto"),
    };
}
