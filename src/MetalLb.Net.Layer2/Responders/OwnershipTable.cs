using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Responders;

/// <summary>
/// An immutable snapshot of the IPs this node owns and the links each may be answered on. The
/// announcer swaps in a new snapshot on every change, so a responder reading the current one
/// per frame stops answering the moment ownership is released, without locks on the hot path.
/// </summary>
public sealed class OwnershipTable
{
    public static OwnershipTable Empty { get; } = new(new Dictionary<IPAddress, FrozenSet<string>?>());

    private readonly FrozenDictionary<uint, FrozenSet<string>?> _v4;
    private readonly FrozenDictionary<UInt128, FrozenSet<string>?> _v6;
    private readonly FrozenDictionary<uint, OwnedAddress> _v4Addresses;
    private readonly FrozenDictionary<UInt128, OwnedAddress> _v6Addresses;

    /// <param name="owned">Each owned IP with the link names it may be answered on; null or empty means every link.</param>
    public OwnershipTable(IReadOnlyDictionary<IPAddress, FrozenSet<string>?> owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        Owned = owned.ToFrozenDictionary();
        _v4 = owned.Where(p => p.Key.AddressFamily == AddressFamily.InterNetwork)
            .ToFrozenDictionary(p => AddressBits.ToUInt32(p.Key), p => Normalise(p.Value));
        _v6 = owned.Where(p => p.Key.AddressFamily == AddressFamily.InterNetworkV6)
            .ToFrozenDictionary(p => AddressBits.ToUInt128(p.Key), p => Normalise(p.Value));
        _v4Addresses = _v4.Keys.ToFrozenDictionary(k => k, k => new OwnedAddress(AddressBits.FromUInt32(k)));
        _v6Addresses = _v6.Keys.ToFrozenDictionary(k => k, k => new OwnedAddress(AddressBits.FromUInt128(k)));
    }

    public FrozenDictionary<IPAddress, FrozenSet<string>?> Owned { get; }

    /// <summary>The owned address as the metrics label it, made once per table, not per frame.</summary>
    public OwnedAddress? Find(uint ipv4) => _v4Addresses.GetValueOrDefault(ipv4);

    public OwnedAddress? Find(UInt128 ipv6) => _v6Addresses.GetValueOrDefault(ipv6);

    public IEnumerable<UInt128> Ipv6On(string link) =>
        _v6.Where(p => Allows(p.Value, link)).Select(p => p.Key);

    public bool IsOwned(uint ipv4, string link) => _v4.TryGetValue(ipv4, out var links) && Allows(links, link);

    public bool IsOwned(UInt128 ipv6, string link) => _v6.TryGetValue(ipv6, out var links) && Allows(links, link);

    public bool IsOwned(IPAddress ip, string link) => Owned.TryGetValue(ip, out var links) && Allows(links, link);

    private static FrozenSet<string>? Normalise(FrozenSet<string>? links) => links is { Count: > 0 } ? links : null;

    // Upstream: an advertisement without `interfaces` announces on every eligible link.
    private static bool Allows(FrozenSet<string>? links, string link) => links is not { Count: > 0 } || links.Contains(link);
}
