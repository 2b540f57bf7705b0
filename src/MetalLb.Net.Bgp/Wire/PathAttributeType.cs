namespace MetalLb.Net.Bgp.Wire;

/// <summary>Path attribute type codes (IANA). Append only: values are on the wire.</summary>
public enum PathAttributeType : byte
{
    Origin = 1,              // RFC 4271 §5.1.1
    AsPath = 2,              // RFC 4271 §5.1.2
    NextHop = 3,             // RFC 4271 §5.1.3
    MultiExitDisc = 4,       // RFC 4271 §5.1.4
    LocalPref = 5,           // RFC 4271 §5.1.5
    AtomicAggregate = 6,     // RFC 4271 §5.1.6
    Aggregator = 7,          // RFC 4271 §5.1.7
    Communities = 8,         // RFC 1997
    MpReachNlri = 14,        // RFC 4760 §3
    MpUnreachNlri = 15,      // RFC 4760 §4
    As4Path = 17,            // RFC 6793 §3
    As4Aggregator = 18,      // RFC 6793 §3
    LargeCommunities = 32,   // RFC 8092
}

/// <summary>Attribute flag bits (RFC 4271 §4.3).</summary>
[Flags]
public enum PathAttributeFlags : byte
{
    None = 0,
    ExtendedLength = 0x10,
    Partial = 0x20,
    Transitive = 0x40,
    Optional = 0x80,
}
