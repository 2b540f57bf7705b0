using System.Buffers;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>Frames and decodes one message from the front of a byte stream.</summary>
public static class BgpMessageReader
{
    /// <summary>
    /// NeedMoreData until a whole message is buffered; InvalidData with the NOTIFICATION to send;
    /// Done with the message and how many bytes it took.
    /// </summary>
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, out BgpMessage? message, out int consumed, out BgpError error)
    {
        message = null;
        consumed = 0;
        var status = BgpHeader.TryRead(source, out var header, out error);
        if (status != OperationStatus.Done)
            return status;
        if (source.Length < header.Length)
            return OperationStatus.NeedMoreData;
        var body = source[BgpHeader.Size..header.Length];
        switch (header.Type)
        {
            case BgpMessageType.Open:
                status = OpenMessage.TryDecodeBody(body, out var open, out error);
                message = open;
                break;
            case BgpMessageType.Update:
                status = UpdateMessage.TryDecodeBody(body, out var update, out error);
                message = update;
                break;
            case BgpMessageType.Notification:
                message = NotificationMessage.DecodeBody(body);
                break;
            case BgpMessageType.Keepalive:
                message = KeepaliveMessage.Instance;
                break;
            default:
                message = RouteRefreshMessage.DecodeBody(body);
                break;
        }
        if (status == OperationStatus.Done)
            consumed = header.Length;
        return status;
    }
}
