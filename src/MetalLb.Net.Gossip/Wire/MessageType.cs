namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// The first byte of every memberlist packet and stream.
/// Append only: values are on the wire (memberlist's messageType, an iota from 0).
/// </summary>
internal enum MessageType : byte
{
    Ping = 0,
    IndirectPing = 1,
    AckResponse = 2,
    Suspect = 3,
    Alive = 4,
    Dead = 5,
    PushPull = 6,
    Compound = 7,
    User = 8,
    Compress = 9,
    Encrypt = 10,
    NackResponse = 11,
    HasCrc = 12,
    Error = 13,
}
