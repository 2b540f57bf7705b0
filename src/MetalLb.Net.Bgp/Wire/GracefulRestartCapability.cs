using System.Buffers.Binary;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>The Graceful Restart capability value (RFC 4724 §3).</summary>
public sealed record GracefulRestartCapability(
    bool Restarting, ushort RestartTimeSeconds, IReadOnlyList<(Afi Afi, Safi Safi, bool ForwardingPreserved)> Families)
{
    /* RFC 4724 §3
       +--------------------------------------------------+
       | Restart Flags (4 bits)                           |
       +--------------------------------------------------+
       | Restart Time in seconds (12 bits)                |
       +--------------------------------------------------+
       | Address Family Identifier (16 bits)              |
       +--------------------------------------------------+
       | Subsequent Address Family Identifier (8 bits)    |
       +--------------------------------------------------+
       | Flags for Address Family (8 bits)                |
       +--------------------------------------------------+
       | ...                                              |
       Restart flag R is the top bit; the forwarding flag F is the top bit of the per-family flags. */
    public static bool TryParse(ReadOnlySpan<byte> value, out GracefulRestartCapability? capability)
    {
        capability = null;
        if (value.Length < 2 || (value.Length - 2) % 4 != 0)
            return false;
        var head = BinaryPrimitives.ReadUInt16BigEndian(value);
        var families = new List<(Afi, Safi, bool)>();
        for (var i = 2; i < value.Length; i += 4)
            families.Add(((Afi)BinaryPrimitives.ReadUInt16BigEndian(value[i..]), (Safi)value[i + 2], (value[i + 3] & 0x80) != 0));
        capability = new GracefulRestartCapability((head & 0x8000) != 0, (ushort)(head & 0x0FFF), families);
        return true;
    }

    public byte[] ToBytes()
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RestartTimeSeconds, (ushort)0x0FFF);
        var v = new byte[2 + 4 * Families.Count];
        BinaryPrimitives.WriteUInt16BigEndian(v, (ushort)((Restarting ? 0x8000 : 0) | RestartTimeSeconds));
        for (var i = 0; i < Families.Count; i++)
        {
            var (afi, safi, fwd) = Families[i];
            BinaryPrimitives.WriteUInt16BigEndian(v.AsSpan(2 + 4 * i), (ushort)afi);
            v[4 + 4 * i] = (byte)safi;
            v[5 + 4 * i] = fwd ? (byte)0x80 : (byte)0;
        }
        return v;
    }
}
