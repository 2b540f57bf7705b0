using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Rib;

/// <summary>
/// One peer's Adj-RIB-Out (RFC 4271 §3.2): what the host wants advertised, and what this
/// session has already told the peer. The difference is what goes out next. Pure; the
/// session edge serialises calls.
/// </summary>
public sealed class AdjRibOut
{
    private Dictionary<NlriPrefix, AdvertisedAttributes> _desired = [];
    private readonly Dictionary<NlriPrefix, AdvertisedAttributes> _sent = [];

    /// <summary>Prefixes the peer currently has from us.</summary>
    public int AnnouncedCount => _sent.Count;

    /// <summary>Prefixes whose announcement or withdrawal has not gone out yet (upstream's pending_prefixes).</summary>
    public int PendingCount => _pending ??=
        _desired.Count(kv => !_sent.TryGetValue(kv.Key, out var a) || !a.Equals(kv.Value))
        + _sent.Keys.Count(p => !_desired.ContainsKey(p));

    // Computed on demand and kept until the next change: status is read after every action.
    private int? _pending;

    public IReadOnlyDictionary<NlriPrefix, AdvertisedAttributes> Desired => _desired;

    /// <summary>Replaces the whole desired set (upstream's Set(ads) semantics). A Dictionary is
    /// kept as is (no copy): the caller hands it over and must not change it afterwards.</summary>
    public void SetDesired(IReadOnlyDictionary<NlriPrefix, AdvertisedAttributes> desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        _desired = desired as Dictionary<NlriPrefix, AdvertisedAttributes> ?? new Dictionary<NlriPrefix, AdvertisedAttributes>(desired);
        _pending = null;
    }

    /// <summary>A new session starts from nothing: the peer has none of our routes.</summary>
    public void ResetSession()
    {
        _sent.Clear();
        _pending = null;
    }

    /// <summary>The changes for the negotiated families, recorded as sent.</summary>
    public RibChanges TakeChanges(IReadOnlyCollection<Afi> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        _pending = null;
        var changes = new RibChanges();
        foreach (var prefix in _sent.Keys.Where(p => !_desired.ContainsKey(p)).ToList())
        {
            changes.Withdrawn.Add(prefix);
            _sent.Remove(prefix);
        }
        var skipped = 0;
        bool v4 = families.Contains(Afi.IPv4), v6 = families.Contains(Afi.IPv6);
        _sent.EnsureCapacity(_desired.Count);
        foreach (var (prefix, attributes) in _desired)
        {
            if (!(prefix.Afi == Afi.IPv4 ? v4 : v6))
            {
                skipped++;
                continue;
            }
            if (_sent.TryGetValue(prefix, out var sent) && sent.Equals(attributes))
                continue;
            Add(changes, attributes, prefix);
            _sent[prefix] = attributes;
        }
        // Everything else is now in step with the peer.
        _pending = skipped;
        return changes;
    }

    /// <summary>Everything desired in one family again, for a ROUTE-REFRESH (RFC 2918 §4).</summary>
    public RibChanges Refresh(Afi afi)
    {
        _pending = null;
        var changes = new RibChanges();
        foreach (var (prefix, attributes) in _desired.Where(kv => kv.Key.Afi == afi))
        {
            Add(changes, attributes, prefix);
            _sent[prefix] = attributes;
        }
        return changes;
    }

    private static void Add(RibChanges changes, AdvertisedAttributes attributes, NlriPrefix prefix)
    {
        if (!changes.Announced.TryGetValue(attributes, out var list))
            changes.Announced[attributes] = list = [];
        list.Add(prefix);
    }
}
