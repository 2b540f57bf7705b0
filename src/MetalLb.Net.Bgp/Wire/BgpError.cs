namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// An error the peer must be told about: the NOTIFICATION code, subcode and data
/// (RFC 4271 §6). Decoders return it instead of throwing, so a bad packet costs no exception.
/// </summary>
public readonly record struct BgpError(BgpErrorCode Code, byte Subcode, ReadOnlyMemory<byte> Data)
{
    public BgpError(BgpErrorCode code, byte subcode) : this(code, subcode, ReadOnlyMemory<byte>.Empty) { }

    public bool IsError => Code != BgpErrorCode.None;

    // RFC 4271 §6.1: message header errors.
    public static BgpError ConnectionNotSynchronized => new(BgpErrorCode.MessageHeader, 1);
    public static BgpError BadMessageLength(ushort length) =>
        new(BgpErrorCode.MessageHeader, 2, new[] { (byte)(length >> 8), (byte)length });
    public static BgpError BadMessageType(byte type) => new(BgpErrorCode.MessageHeader, 3, new[] { type });

    // RFC 4271 §6.2: OPEN errors. Data of 2/1 is the highest version we support.
    public static BgpError OpenUnspecific => new(BgpErrorCode.OpenMessage, 0);
    public static BgpError UnsupportedVersionNumber => new(BgpErrorCode.OpenMessage, 1, new byte[] { 0, 4 });
    public static BgpError BadPeerAs => new(BgpErrorCode.OpenMessage, 2);
    public static BgpError BadBgpIdentifier => new(BgpErrorCode.OpenMessage, 3);
    public static BgpError UnsupportedOptionalParameter => new(BgpErrorCode.OpenMessage, 4);
    public static BgpError UnacceptableHoldTime => new(BgpErrorCode.OpenMessage, 6);
    /// <summary>RFC 5492 §5: a capability we require is missing; data lists it.</summary>
    public static BgpError UnsupportedCapability(ReadOnlyMemory<byte> data) => new(BgpErrorCode.OpenMessage, 7, data);

    // RFC 4271 §6.3: UPDATE errors.
    public static BgpError MalformedAttributeList => new(BgpErrorCode.UpdateMessage, 1);
    public static BgpError UnrecognizedWellKnownAttribute(ReadOnlyMemory<byte> attribute) =>
        new(BgpErrorCode.UpdateMessage, 2, attribute);
    public static BgpError MissingWellKnownAttribute(byte typeCode) =>
        new(BgpErrorCode.UpdateMessage, 3, new[] { typeCode });
    public static BgpError AttributeFlagsError(ReadOnlyMemory<byte> attribute) => new(BgpErrorCode.UpdateMessage, 4, attribute);
    public static BgpError AttributeLengthError(ReadOnlyMemory<byte> attribute) => new(BgpErrorCode.UpdateMessage, 5, attribute);
    public static BgpError OptionalAttributeError(ReadOnlyMemory<byte> attribute) => new(BgpErrorCode.UpdateMessage, 9, attribute);
    public static BgpError InvalidNetworkField => new(BgpErrorCode.UpdateMessage, 10);

    public static BgpError HoldTimerExpired => new(BgpErrorCode.HoldTimerExpired, 0);

    /// <summary>RFC 6608 §3: the subcode names the state in which the unexpected message came.</summary>
    public static BgpError FsmError(byte subcode) => new(BgpErrorCode.FiniteStateMachine, subcode);

    // RFC 4486 §4: Cease subcodes.
    public static BgpError CeaseAdministrativeShutdown => new(BgpErrorCode.Cease, 2);
    public static BgpError CeasePeerDeconfigured => new(BgpErrorCode.Cease, 3);
    public static BgpError CeaseAdministrativeReset => new(BgpErrorCode.Cease, 4);
    public static BgpError CeaseConnectionRejected => new(BgpErrorCode.Cease, 5);
    public static BgpError CeaseOtherConfigurationChange => new(BgpErrorCode.Cease, 6);
    public static BgpError CeaseConnectionCollisionResolution => new(BgpErrorCode.Cease, 7);

    /// <summary>RFC 7313 §5: ROUTE-REFRESH with a bad length.</summary>
    public static BgpError InvalidRouteRefreshLength(ReadOnlyMemory<byte> message) => new(BgpErrorCode.RouteRefreshMessage, 1, message);

    public override string ToString() => $"{Code}/{Subcode}";
}
