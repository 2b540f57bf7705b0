namespace MetalLb.Net.Bgp.Rib;

/// <summary>
/// Which attribute set of one <see cref="RouteSet"/> equals which of another's, worked out once
/// per pair of sets (they hold a handful), so comparing routes is an integer compare.
/// </summary>
internal readonly struct AttributeMap
{
    private readonly int[] _map;

    private AttributeMap(int[] map) => _map = map;

    /// <summary>The index in the other set of attribute set <paramref name="index"/>, or -1.</summary>
    public int To(int index) => _map[index];

    public static AttributeMap Between(RouteSet from, RouteSet to)
    {
        var lookup = new Dictionary<Wire.AdvertisedAttributes, int>(to.AttributeSets.Count);
        for (var i = 0; i < to.AttributeSets.Count; i++)
            lookup.TryAdd(to.AttributeSets[i], i);
        var map = new int[from.AttributeSets.Count];
        for (var i = 0; i < map.Length; i++)
            map[i] = lookup.TryGetValue(from.AttributeSets[i], out var j) ? j : -1;
        return new AttributeMap(map);
    }
}
