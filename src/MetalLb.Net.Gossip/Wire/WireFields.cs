namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// Shared helpers for decoding memberlist structs: a map of named fields in any order, unknown
/// fields skipped (newer memberlist versions add fields), missing fields left at their zero value
/// as Go's decoder does.
/// </summary>
internal static class WireFields
{
    public delegate bool FieldReader(ref MsgPackReader reader, string name);

    public static bool TryReadMap(ref MsgPackReader reader, FieldReader field)
    {
        if (!reader.TryReadMapHeader(out var count))
            return false;
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadString(out var name))
                return false;
            if (!field(ref reader, name))
                return false;
        }
        return true;
    }
}
