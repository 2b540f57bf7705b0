using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Rib;

/// <summary>What must go to the peer: withdrawals, and announcements grouped by shared attributes.</summary>
public sealed class RibChanges
{
    public List<NlriPrefix> Withdrawn { get; } = [];
    public Dictionary<AdvertisedAttributes, List<NlriPrefix>> Announced { get; } = [];

    public bool IsEmpty => Withdrawn.Count == 0 && Announced.Count == 0;
    public int AnnouncedCount => Announced.Values.Sum(l => l.Count);

    /// <summary>
    /// The UPDATEs, withdrawals first (so a prefix moving between attribute groups is never
    /// briefly absent after its new announcement), each family and attribute set packed densely.
    /// </summary>
    public List<UpdateMessage> ToUpdates(UpdateEncodingContext context)
    {
        var updates = new List<UpdateMessage>();
        foreach (var family in ByFamily(Withdrawn))
            updates.AddRange(UpdateBuilder.Withdraw(context, family));
        foreach (var (attributes, prefixes) in Announced)
            foreach (var family in ByFamily(prefixes))
                updates.AddRange(UpdateBuilder.Announce(context, attributes, family));
        return updates;
    }

    /// <summary>IPv4 then IPv6, each sorted (stable output; neighbouring prefixes share octets in dumps).</summary>
    private static IEnumerable<List<NlriPrefix>> ByFamily(List<NlriPrefix> prefixes)
    {
        var v4 = new List<NlriPrefix>(prefixes.Count);
        var v6 = new List<NlriPrefix>();
        foreach (var p in prefixes)
            (p.Afi == Afi.IPv4 ? v4 : v6).Add(p);
        foreach (var family in new[] { v4, v6 })
        {
            if (family.Count == 0)
                continue;
            family.Sort();
            yield return family;
        }
    }
}
