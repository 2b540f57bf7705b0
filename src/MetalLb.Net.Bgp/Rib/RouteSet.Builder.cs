using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Rib;

public sealed partial class RouteSet
{
    /// <summary>
    /// Collects routes, sharing equal attribute sets (one <see cref="AdvertisedAttributes"/> per
    /// distinct value, however many prefixes carry it). A prefix added twice keeps the last
    /// attributes, as a dictionary assignment would.
    /// </summary>
    public sealed class Builder(int capacity = 0)
    {
        private NlriPrefix[] _prefixes = new NlriPrefix[Math.Max(capacity, 4)];
        private int[] _index = new int[Math.Max(capacity, 4)];
        private int _count;
        private readonly Dictionary<AdvertisedAttributes, int> _interned = [];
        private readonly List<AdvertisedAttributes> _attributes = [];

        public int Count => _count;

        public Builder Add(NlriPrefix prefix, AdvertisedAttributes attributes)
        {
            ArgumentNullException.ThrowIfNull(attributes);
            if (!_interned.TryGetValue(attributes, out var index))
            {
                _interned[attributes] = index = _attributes.Count;
                _attributes.Add(attributes);
            }
            if (_count == _prefixes.Length)
            {
                Array.Resize(ref _prefixes, _count * 2);
                Array.Resize(ref _index, _count * 2);
            }
            _prefixes[_count] = prefix;
            _index[_count] = index;
            _count++;
            return this;
        }

        /// <summary>The set; the builder is left empty.</summary>
        public RouteSet ToRouteSet()
        {
            if (_count == 0)
                return Empty;
            var prefixes = _count == _prefixes.Length ? _prefixes : _prefixes[.._count];
            var index = _count == _index.Length ? _index : _index[.._count];
            if (!IsSorted(prefixes))
                SortKeepingLast(ref prefixes, ref index);
            var set = Create(prefixes, index, [.. _attributes]);
            _prefixes = new NlriPrefix[4];
            _index = new int[4];
            _count = 0;
            _interned.Clear();
            _attributes.Clear();
            return set;
        }

        private static bool IsSorted(NlriPrefix[] prefixes)
        {
            for (var i = 1; i < prefixes.Length; i++)
                if (prefixes[i - 1].CompareTo(prefixes[i]) >= 0)
                    return false;
            return true;
        }

        /// <summary>Sorts by prefix; of duplicates the one added last wins.</summary>
        private static void SortKeepingLast(ref NlriPrefix[] prefixes, ref int[] index)
        {
            // Sort positions, not pairs, so equal prefixes can be ordered by insertion.
            var order = new int[prefixes.Length];
            for (var i = 0; i < order.Length; i++)
                order[i] = i;
            var keys = prefixes;
            Array.Sort(order, (a, b) => keys[a].CompareTo(keys[b]) is var c && c != 0 ? c : a.CompareTo(b));
            var unique = 0;
            for (var i = 0; i < order.Length; i++)
                if (i + 1 == order.Length || keys[order[i]] != keys[order[i + 1]])
                    order[unique++] = order[i];
            var sortedPrefixes = new NlriPrefix[unique];
            var sortedIndex = new int[unique];
            for (var i = 0; i < unique; i++)
            {
                sortedPrefixes[i] = keys[order[i]];
                sortedIndex[i] = index[order[i]];
            }
            prefixes = sortedPrefixes;
            index = sortedIndex;
        }
    }
}
