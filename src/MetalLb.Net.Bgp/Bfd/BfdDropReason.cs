using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>Why the engine discarded a received packet: a decode error, or a check that needs the session (RFC 5880 §6.8.6, RFC 5881 §5, RFC 5883 §5).</summary>
public enum BfdDropReason
{
    TooShort = BfdDecodeError.TooShort,
    BadVersion = BfdDecodeError.BadVersion,
    BadLength = BfdDecodeError.BadLength,
    ZeroDetectMultiplier = BfdDecodeError.ZeroDetectMultiplier,
    Multipoint = BfdDecodeError.Multipoint,
    ZeroMyDiscriminator = BfdDecodeError.ZeroMyDiscriminator,
    ZeroYourDiscriminator = BfdDecodeError.ZeroYourDiscriminator,
    BadAuthentication = BfdDecodeError.BadAuthentication,
    AuthenticationNotSupported = BfdDecodeError.AuthenticationNotSupported,
    /// <summary>No session with that Your Discriminator, or none for that address pair.</summary>
    NoSession = 100,
    /// <summary>The session's discriminator, but another source address.</summary>
    WrongSource,
    /// <summary>Single-hop packet on the multihop port or the reverse.</summary>
    WrongPort,
    /// <summary>Single hop: TTL / hop limit not 255 (GTSM); multihop: below the profile's minimumTtl.</summary>
    WrongTtl,
}
