namespace MetalLb.Net.Gossip.Swim;

/// <summary>
/// memberlist's TransmitLimitedQueue: messages about members wait here to be piggybacked on
/// gossip and probe packets. Each goes out RetransmitMult x ceil(log10(n+1)) times, least-sent
/// first; a newer message about the same member replaces the older one, so only the latest
/// word on a member spreads.
/// </summary>
internal sealed class BroadcastQueue(int retransmitMult)
{
    private readonly List<Item> _items = [];
    private long _sequence;

    public int Count => _items.Count;

    public void Enqueue(string member, byte[] message, Action? finished = null)
    {
        for (var i = _items.Count - 1; i >= 0; i--)
        {
            if (_items[i].Member == member)
            {
                _items[i].Finished?.Invoke();
                _items.RemoveAt(i);
            }
        }
        _items.Add(new Item(member, message, finished, ++_sequence));
    }

    /// <summary>Takes messages that fit in <paramref name="limit"/> bytes, <paramref name="overhead"/> each.</summary>
    public List<byte[]> Take(int overhead, int limit, int members, int maxCount = 254)
    {
        var result = new List<byte[]>();
        if (_items.Count == 0)
            return result;
        var transmitLimit = retransmitMult * (int)Math.Ceiling(Math.Log10(members + 1.0));
        // Fewest transmissions first; among equals, the newest.
        _items.Sort((a, b) => a.Transmits != b.Transmits ? a.Transmits.CompareTo(b.Transmits) : b.Sequence.CompareTo(a.Sequence));
        var used = 0;
        for (var i = 0; i < _items.Count && result.Count < maxCount; i++)
        {
            var item = _items[i];
            if (used + overhead + item.Message.Length > limit)
                continue;
            used += overhead + item.Message.Length;
            result.Add(item.Message);
            item.Transmits++;
        }
        for (var i = _items.Count - 1; i >= 0; i--)
        {
            if (_items[i].Transmits >= Math.Max(1, transmitLimit))
            {
                _items[i].Finished?.Invoke();
                _items.RemoveAt(i);
            }
        }
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
}
