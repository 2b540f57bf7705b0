using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Interfaces;

/// <summary>What the kernel says about one link (RTM_NEWLINK + its IPv6 addresses).</summary>
/// <param name="Flags">The IFF_* flags of the link (net/if.h).</param>
/// <param name="MasterIndex">IFLA_MASTER: the bond or bridge this link is enslaved to, 0 if none.</param>
public sealed record LinkInfo(
    int Index, string Name, MacAddress Mac, uint Flags, int MasterIndex, bool HasIpv6LinkLocal)
{
    public const uint IffUp = 0x1;
    public const uint IffBroadcast = 0x2;
    public const uint IffLoopback = 0x8;
    public const uint IffNoArp = 0x80;

    public bool IsUp => (Flags & IffUp) != 0;

    public bool IsBroadcast => (Flags & IffBroadcast) != 0;

    public bool IsLoopback => (Flags & IffLoopback) != 0;

    public bool IsNoArp => (Flags & IffNoArp) != 0;
}
