namespace MetalLb.Net.Bgp.Wire;

/// <summary>Capability codes (IANA registry; RFC 5492). Append only: values are on the wire.</summary>
public enum CapabilityCode : byte
{
    Multiprotocol = 1,          // RFC 4760 §8
    RouteRefresh = 2,           // RFC 2918 §2
    ExtendedMessage = 6,        // RFC 8654
    GracefulRestart = 64,       // RFC 4724 §3
    FourOctetAs = 65,           // RFC 6793 §3
    AddPath = 69,               // RFC 7911
    EnhancedRouteRefresh = 70,  // RFC 7313
    LongLivedGracefulRestart = 71,
    Fqdn = 73,
}
