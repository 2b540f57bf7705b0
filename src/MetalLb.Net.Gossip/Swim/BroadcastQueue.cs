namespace MetalLb.Net.Gossip.Swim;

/// <summary>
/// memberlist's TransmitLimitedQueue: messages about members wait here to be piggybacked on
/// gossip and probe packets. Each goes out RetransmitMult x ceil(log10(n+1)) times, least-sent
/// first; a newer message about the same member replaces the older one, so only the latest
/// word on a member spreads.
/// </summary>
/// <remarks>
/// Kept ordered (a sorted set, as memberlist keeps a btree) rather than sorted on every take:
/// after a join every member holds one message per member, and every packet we send takes
/// from the queue, so a sort per packet cost O(n log n) per packet at a few hundred members.
/// </remarks>
internal sealed class BroadcastQueue(int retransmitMult)
{
    /// <summary>After this many messages in a row do not fit, the packet counts as full.</summary>
    private const int MisfitsBeforeFull = 32;

    private readonly SortedSet<Item> _items = new(ItemOrder.Instance);
    private readonly Dictionary<string, Item> _byMember = new(StringComparer.Ordinal);
    private readonly List<Item> _taken = [];
    private long _sequence;

    public int Count => _items.Count;

    public void Enqueue(string member, byte[] message, Action? finished = null)
    {
        if (_byMember.Remove(member, out var old))
        {
            _items.Remove(old);
            old.Finished?.Invoke();
        }
        var item = new Item(member, message, finished, ++_sequence);
        _items.Add(item);
        _byMember[member] = item;
    }

    /// <summary>Takes messages that fit in <paramref name="limit"/> bytes, <paramref name="overhead"/> each.</summary>
    public List<byte[]> Take(int overhead, int limit, int members, int maxCount = 254)
    {
        var result = new List<byte[]>();
        if (_items.Count == 0)
            return result;
        var transmitLimit = Math.Max(1, retransmitMult * (int)Math.Ceiling(Math.Log10(members + 1.0)));
        var used = 0;
        var misfits = 0;
        _taken.Clear();
        // Fewest transmissions first; among equals, the newest.
        foreach (var item in _items)
        {
            if (result.Count >= maxCount || misfits >= MisfitsBeforeFull)
                break;
            if (used + overhead + item.Message.Length > limit)
            {
                misfits++;
                continue;
            }
            misfits = 0;
            used += overhead + item.Message.Length;
            result.Add(item.Message);
            _taken.Add(item);
        }
        foreach (var item in _taken)
        {
            // The order depends on Transmits: take it out before changing it.
            _items.Remove(item);
            item.Transmits++;
            if (item.Transmits >= transmitLimit)
            {
                _byMember.Remove(item.Member);
                item.Finished?.Invoke();
            }
            else
            {
                _items.Add(item);
            }
        }
        _taken.Clear();
        return result;
    }

    private sealed class Item(string member, byte[] message, Action? finished, long sequence)
    {
        public string Member { get; } = member;
        public byte[] Message { get; } = message;
        public Action? Finished { get; } = finished;
        public long Sequence { get; } = sequence;
        public int Transmits { get; set; }
    }

    private sealed class ItemOrder : IComparer<Item>
    {
        public static readonly ItemOrder Instance = new();

        public int Compare(Item? x, Item? y)
        {
            if (ReferenceEquals(x, y))
                return 0;
            var byTransmits = x!.Transmits.CompareTo(y!.Transmits);
            return byTransmits != 0 ? byTransmits : y.Sequence.CompareTo(x.Sequence);
        }
    }
}
