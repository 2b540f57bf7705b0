namespace MetalLb.Net.Gossip.Wire;

/// <summary>Why an incoming packet or stream was dropped; counted, never thrown.</summary>
public enum PacketError
{
    None = 0,
    /// <summary>No installed key authenticated it, or it was plaintext while encryption is required.</summary>
    Decrypt,
    /// <summary>The hasCrc checksum did not match.</summary>
    Checksum,
    /// <summary>A length, a msgpack value or a compressed body did not parse.</summary>
    Malformed,
    /// <summary>A message type we do not handle over this channel.</summary>
    UnknownType,
    /// <summary>Compound or compressed messages nested deeper than any sender produces.</summary>
    TooDeep,
}
