using System.Buffers;
using System.Buffers.Binary;

namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// A memberlist TCP message. A connection carries one message each way and has no outer length
/// (unless encrypted), so the reader parses as bytes arrive: NeedMoreData until one whole
/// message is there. Encrypted frames are | encryptMsg | length (4) | payload |; inside (or in
/// the clear) an optional compress wrapper, then the message type and its msgpack values.
/// </summary>
internal static class StreamFrame
{
    public static byte[] Encode(ReadOnlySpan<byte> message, bool compress, Keyring? keyring)
    {
        var inner = compress ? Compression.Wrap(message) : message.ToArray();
        return keyring is null ? inner : Encryption.EncryptStream(keyring.Primary, inner);
    }

    public static byte[] EncodePushPull(PushPullHeader header, IReadOnlyList<PushNodeState> states)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + states.Count * 96);
        buffer.GetSpan(1)[0] = (byte)MessageType.PushPull;
        buffer.Advance(1);
        var writer = new MsgPackWriter(buffer);
        header.Write(writer);
        foreach (var state in states)
            state.Write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    public static OperationStatus TryRead(ReadOnlySpan<byte> buffer, Keyring? keyring, out StreamMessage? message, out PacketError error)
    {
        message = null;
        error = PacketError.None;
        if (buffer.IsEmpty)
            return OperationStatus.NeedMoreData;
        if (buffer[0] == (byte)MessageType.Encrypt)
        {
            if (keyring is null)
                return Fail(PacketError.Decrypt, out error);
            if (buffer.Length < Encryption.StreamHeaderSize)
                return OperationStatus.NeedMoreData;
            var length = BinaryPrimitives.ReadUInt32BigEndian(buffer[1..]);
            if (length > PushPullLimits.MaxStateBytes)
                return Fail(PacketError.Malformed, out error);
            if (buffer.Length < Encryption.StreamHeaderSize + (int)length)
                return OperationStatus.NeedMoreData;
            if (!Encryption.TryDecrypt(keyring, buffer.Slice(Encryption.StreamHeaderSize, (int)length),
                    buffer[..Encryption.StreamHeaderSize], out var plain))
                return Fail(PacketError.Decrypt, out error);
            return TryReadPlain(plain, complete: true, out message, out error);
        }
        if (keyring is not null)
            return Fail(PacketError.Decrypt, out error);   // memberlist refuses cleartext when it has keys
        return TryReadPlain(buffer, complete: false, out message, out error);
    }

    // complete: the buffer is everything there will be (decrypted or decompressed), so running
    // out of bytes is malformed rather than a reason to wait.
    private static OperationStatus TryReadPlain(ReadOnlySpan<byte> buffer, bool complete, out StreamMessage? message, out PacketError error)
    {
        message = null;
        error = PacketError.None;
        if (buffer.IsEmpty)
            return complete ? Fail(PacketError.Malformed, out error) : OperationStatus.NeedMoreData;
        var type = (MessageType)buffer[0];
        var reader = new MsgPackReader(buffer[1..]);
        bool ok;
        switch (type)
        {
            case MessageType.Compress:
                if (!Compression.TryUnwrap(ref reader, PushPullLimits.MaxStateBytes, out var inner))
                    break;
                return TryReadPlain(inner, complete: true, out message, out error);
            case MessageType.PushPull:
                if (!PushPullHeader.TryRead(ref reader, out var header))
                    break;
                var states = new List<PushNodeState>(Math.Min(header.Nodes, 1024));
                ok = true;
                for (var i = 0; i < header.Nodes && ok; i++)
                {
                    ok = PushNodeState.TryRead(ref reader, out var state);
                    states.Add(state);
                }
                if (!ok)
                    break;
                if (reader.Remaining < header.UserStateLen)
                {
                    if (complete)
                        return Fail(PacketError.Malformed, out error);
                    return OperationStatus.NeedMoreData;
                }
                message = new StreamMessage(type, Header: header, States: states);
                return OperationStatus.Done;
            case MessageType.Ping:
                if (!Ping.TryRead(ref reader, out var ping))
                    break;
                message = new StreamMessage(type, Ping: ping);
                return OperationStatus.Done;
            case MessageType.AckResponse:
                if (!Ack.TryRead(ref reader, out var ack))
                    break;
                message = new StreamMessage(type, Ack: ack);
                return OperationStatus.Done;
            case MessageType.Error:
                if (!WireFields.TryReadMap(ref reader, (ref MsgPackReader r, string name) =>
                        name == "Error" ? r.TryReadString(out _) : r.TrySkip()))
                    break;
                message = new StreamMessage(type, Error: "remote error");
                return OperationStatus.Done;
            default:
                return Fail(PacketError.UnknownType, out error);
        }
        if (reader.Truncated && !complete)
            return OperationStatus.NeedMoreData;
        return Fail(PacketError.Malformed, out error);
    }

    private static OperationStatus Fail(PacketError reason, out PacketError error)
    {
        error = reason;
        return OperationStatus.InvalidData;
    }
}
