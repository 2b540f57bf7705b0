namespace MetalLb.Net.Bgp.Bfd.Wire;

/// <summary>Why a received control packet was discarded (the RFC 5880 §6.8.6 checks, in order). Each is counted, never thrown.</summary>
public enum BfdDecodeError
{
    None = 0,
    TooShort,
    BadVersion,
    BadLength,
    ZeroDetectMultiplier,
    Multipoint,
    ZeroMyDiscriminator,
    /// <summary>Your Discriminator is zero but the sender is neither Down nor AdminDown.</summary>
    ZeroYourDiscriminator,
    /// <summary>The A bit with a malformed authentication section.</summary>
    BadAuthentication,
    /// <summary>A well-formed authentication section: we do not implement authentication, so §6.8.6 says discard.</summary>
    AuthenticationNotSupported,
}
