namespace MetalLb.Net.Bgp.Wire;

/// <summary>NOTIFICATION (RFC 4271 §4.5).</summary>
public sealed class NotificationMessage(BgpError error) : BgpMessage
{
    public BgpError Error { get; } = error;
    public override BgpMessageType Type => BgpMessageType.Notification;

    /* RFC 4271 §4.5
        0                   1                   2                   3
        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
       | Error code    | Error subcode |   Data (variable)             |
       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  */
    public static NotificationMessage DecodeBody(ReadOnlySpan<byte> body) =>
        // The header check guarantees at least 2 body bytes; any code is accepted so an
        // unknown one from a newer peer is still reported rather than answered.
        new(new BgpError((BgpErrorCode)body[0], body[1], body[2..].ToArray()));

    protected override int GetBodyLength() => 2 + Error.Data.Length;

    protected override int WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)Error.Code;
        destination[1] = Error.Subcode;
        Error.Data.Span.CopyTo(destination[2..]);
        return GetBodyLength();
    }
}
