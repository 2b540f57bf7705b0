using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Rib;

/// <summary>What must go to the peer: withdrawals, and announcements grouped by shared attributes.</summary>
public sealed class RibChanges
{
    public List<IpPrefix> Withdrawn { get; } = [];
    public Dictionary<AdvertisedAttributes, List<IpPrefix>> Announced { get; } = [];

    public bool IsEmpty => Withdrawn.Count == 0 && Announced.Count == 0;
    public int AnnouncedCount => Announced.Values.Sum(l => l.Count);

    /// <summary>
    /// The UPDATEs, withdrawals first (so a prefix moving between attribute groups is never
    /// briefly absent after its new announcement), each family and attribute set packed densely.
    /// </summary>
    public List<UpdateMessage> ToUpdates(UpdateEncodingContext context)
    {
        var updates = new List<UpdateMessage>();
        foreach (var family in Withdrawn.GroupBy(p => p.Afi).OrderBy(g => g.Key))
            updates.AddRange(UpdateBuilder.Withdraw(context, family.Order().ToList()));
        foreach (var (attributes, prefixes) in Announced)
            foreach (var family in prefixes.GroupBy(p => p.Afi).OrderBy(g => g.Key))
                updates.AddRange(UpdateBuilder.Announce(context, attributes, family.Order().ToList()));
        return updates;
    }
}
