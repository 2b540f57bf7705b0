using System.Collections.Frozen;
using System.Net;
using MetalLb.Net.Layer2.Responders;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Tests.Responders;

internal static class Owned
{
    public static readonly LinkIdentity S0 = new("s0", 2, new MacAddress(0x0200_0000_A001));

    public static OwnershipTable Table(params string[] ips) =>
        new(ips.ToDictionary(IPAddress.Parse, _ => (FrozenSet<string>?)null));

    public static OwnershipTable OnlyOn(string link, params string[] ips) =>
        new(ips.ToDictionary(IPAddress.Parse, _ => (FrozenSet<string>?)new[] { link }.ToFrozenSet()));
}
