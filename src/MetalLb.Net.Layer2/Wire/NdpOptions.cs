using System.Buffers;

namespace MetalLb.Net.Layer2.Wire;

/*  RFC 4861 §4.6, option format, and §4.6.1 link-layer address option on Ethernet (RFC 2464 §8):

     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |     Type      |    Length     |              ...              |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    Length counts units of 8 octets, type and length included; 0 is invalid.
    Link-layer address option: Type 1 (source) or 2 (target), Length 1, then the 6-octet MAC.   */

/// <summary>Walks and writes NDP options.</summary>
public static class NdpOptions
{
    public const int LinkLayerAddressOptionSize = 8;

    /// <summary>
    /// Validates every option (§7.1.1: a zero length, or one running past the message, means the
    /// whole message is discarded) and returns the first link-layer address option of
    /// <paramref name="wanted"/>, if any. Unknown options are skipped, as §4.6 requires.
    /// </summary>
    public static OperationStatus TryFindLinkLayerAddress(
        ReadOnlySpan<byte> options, NdpOptionType wanted, out MacAddress? address)
    {
        address = null;
        while (!options.IsEmpty)
        {
            if (options.Length < 2)
                return OperationStatus.InvalidData;
            int length = options[1] * 8;
            if (length == 0 || length > options.Length)
                return OperationStatus.InvalidData;
            if (options[0] == (byte)wanted && address is null && length >= 2 + MacAddress.Size)
                address = MacAddress.Read(options[2..]);
            options = options[length..];
        }
        return OperationStatus.Done;
    }

    public static int WriteLinkLayerAddress(Span<byte> destination, NdpOptionType type, MacAddress address)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, LinkLayerAddressOptionSize);
        destination[0] = (byte)type;
        destination[1] = 1;
        address.Write(destination[2..]);
        return LinkLayerAddressOptionSize;
    }
}
