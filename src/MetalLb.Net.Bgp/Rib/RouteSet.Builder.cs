using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Rib;

public sealed partial class RouteSet
{
    /// <summary>
    /// Collects routes, sharing equal attribute sets (one <see cref="AdvertisedAttributes"/> per
    /// distinct value, however many prefixes carry it). A prefix added twice keeps the last
    /// attributes, as a dictionary assignment would. Prefixes added in order (as Core lists
    /// them, or a sorted source) go into the set's arrays as they are, with no copy.
    /// </summary>
    public sealed class Builder
    {
        private readonly Family<ulong> _ipv4;
        private readonly Family<NlriPrefix> _ipv6;
        private readonly Dictionary<AdvertisedAttributes, int> _interned = [];
        private readonly List<AdvertisedAttributes> _attributes = [];

        /// <param name="capacity">The IPv4 prefixes expected (arrays grow past it as needed).</param>
        public Builder(int capacity = 0)
        {
            _ipv4 = new Family<ulong>(capacity);
            _ipv6 = new Family<NlriPrefix>(0);
        }

        public int Count => _ipv4.Count + _ipv6.Count;

        public Builder Add(NlriPrefix prefix, AdvertisedAttributes attributes)
        {
            ArgumentNullException.ThrowIfNull(attributes);
            if (!_interned.TryGetValue(attributes, out var index))
            {
                _interned[attributes] = index = _attributes.Count;
                _attributes.Add(attributes);
                if (index == 256)
                {
                    _ipv4.Widen();
                    _ipv6.Widen();
                }
            }
            if (prefix.Afi == Afi.IPv4)
                _ipv4.Add(Pack(prefix), index);
            else
                _ipv6.Add(prefix, index);
            return this;
        }

        /// <summary>The set; the builder must not be used afterwards.</summary>
        public RouteSet ToRouteSet()
        {
            if (Count == 0)
                return Empty;
            var (v4, v4Small, v4Wide) = _ipv4.Finish();
            var (v6, v6Small, v6Wide) = _ipv6.Finish();
            return _attributes.Count > 256
                ? Create(v4, v6, null, Concat(v4Wide!, v6Wide!), [.. _attributes])
                : Create(v4, v6, Concat(v4Small!, v6Small!), null, [.. _attributes]);
        }

        private static T[] Concat<T>(T[] a, T[] b) => b.Length == 0 ? a : a.Length == 0 ? b : [.. a, .. b];

        /// <summary>One family's keys and their attribute indexes (bytes until a 257th set appears).</summary>
        private sealed class Family<TKey>(int capacity) where TKey : IComparable<TKey>
        {
            private TKey[] _keys = new TKey[capacity];
            private byte[]? _small = new byte[capacity];
            private int[]? _wide;
            private bool _sorted = true;

            public int Count { get; private set; }

            public void Add(TKey key, int index)
            {
                if (Count == _keys.Length)
                {
                    var size = Math.Max(4, Count * 2);
                    Array.Resize(ref _keys, size);
                    if (_small is not null)
                        Array.Resize(ref _small, size);
                    else
                        Array.Resize(ref _wide, size);
                }
                if (Count > 0 && _keys[Count - 1].CompareTo(key) >= 0)
                    _sorted = false;
                _keys[Count] = key;
                if (_small is not null)
                    _small[Count] = (byte)index;
                else
                    _wide![Count] = index;
                Count++;
            }

            public void Widen()
            {
                if (_small is null)
                    return;
                _wide = new int[_keys.Length];
                for (var i = 0; i < Count; i++)
                    _wide[i] = _small[i];
                _small = null;
            }

            public (TKey[] Keys, byte[]? Small, int[]? Wide) Finish()
            {
                if (_sorted)
                    return (Trim(_keys), _small is null ? null : Trim(_small), _wide is null ? null : Trim(_wide));
                // Sort positions, not pairs, so equal keys keep insertion order; the last wins.
                var order = new int[Count];
                for (var i = 0; i < order.Length; i++)
                    order[i] = i;
                var keys = _keys;
                Array.Sort(order, (a, b) => keys[a].CompareTo(keys[b]) is var c && c != 0 ? c : a.CompareTo(b));
                var unique = 0;
                for (var i = 0; i < order.Length; i++)
                    if (i + 1 == order.Length || keys[order[i]].CompareTo(keys[order[i + 1]]) != 0)
                        order[unique++] = order[i];
                var sorted = new TKey[unique];
                for (var i = 0; i < unique; i++)
                    sorted[i] = keys[order[i]];
                if (_small is not null)
                {
                    var small = new byte[unique];
                    for (var i = 0; i < unique; i++)
                        small[i] = _small[order[i]];
                    return (sorted, small, null);
                }
                var wide = new int[unique];
                for (var i = 0; i < unique; i++)
                    wide[i] = _wide![order[i]];
                return (sorted, null, wide);
            }

            private T[] Trim<T>(T[] array) => array.Length == Count ? array : array[..Count];
        }
    }
}
