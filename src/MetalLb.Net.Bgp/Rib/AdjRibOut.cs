using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Rib;

/// <summary>
/// One peer's Adj-RIB-Out (RFC 4271 §3.2): what the host wants advertised, and what this
/// session has already told the peer. The difference is what goes out next. Pure; the
/// session edge serialises calls.
/// Both sides are immutable <see cref="RouteSet"/>s, so once everything has gone out "sent"
/// is the very set "desired" is: the peer's routes cost no second copy.
/// </summary>
public sealed class AdjRibOut
{
    private RouteSet _desired = RouteSet.Empty;
    private RouteSet _sent = RouteSet.Empty;

    // Computed on demand and kept until the next change: status is read after every action.
    private int? _pending;

    /// <summary>Prefixes the peer currently has from us.</summary>
    public int AnnouncedCount => _sent.Count;

    /// <summary>Prefixes whose announcement or withdrawal has not gone out yet (upstream's pending_prefixes).</summary>
    public int PendingCount => _pending ??= RibChanges.CountDifferences(_sent, _desired);

    public RouteSet Desired => _desired;

    /// <summary>Replaces the whole desired set (upstream's Set(ads) semantics).</summary>
    public void SetDesired(RouteSet desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        _desired = desired;
        _pending = null;
    }

    /// <summary>Same, from any prefix-to-attributes map (copied into a <see cref="RouteSet"/>).</summary>
    public void SetDesired(IReadOnlyDictionary<NlriPrefix, AdvertisedAttributes> desired) => SetDesired(RouteSet.From(desired));

    /// <summary>A new session starts from nothing: the peer has none of our routes.</summary>
    public void ResetSession()
    {
        _sent = RouteSet.Empty;
        _pending = null;
    }

    /// <summary>The changes for the negotiated families, recorded as sent.</summary>
    public RibChanges TakeChanges(IReadOnlyCollection<Afi> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var target = _desired.OnlyFamilies(families.Contains(Afi.IPv4), families.Contains(Afi.IPv6));
        var changes = RibChanges.Between(_sent, target);
        _sent = target;
        // Everything else is now in step with the peer.
        _pending = _desired.Count - target.Count;
        return changes;
    }

    /// <summary>Everything desired in one family again, for a ROUTE-REFRESH (RFC 2918 §4).</summary>
    public RibChanges Refresh(Afi afi)
    {
        _pending = null;
        var resent = _desired.OnlyFamilies(afi == Afi.IPv4, afi == Afi.IPv6);
        var changes = RibChanges.Between(RouteSet.Empty, resent);
        // The peer now has desired's routes of this family and what it had of the other.
        var kept = _sent.OnlyFamilies(afi != Afi.IPv4, afi != Afi.IPv6);
        if (kept.Count == 0)
            _sent = resent;
        else
        {
            var builder = new RouteSet.Builder(kept.Count + resent.Count);
            foreach (var (prefix, attributes) in kept)
                builder.Add(prefix, attributes);
            foreach (var (prefix, attributes) in resent)
                builder.Add(prefix, attributes);
            _sent = builder.ToRouteSet();
        }
        if (_sent.Equals(_desired))
            _sent = _desired;
        return changes;
    }
}
