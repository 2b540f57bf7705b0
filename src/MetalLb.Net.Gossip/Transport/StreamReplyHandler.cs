using System.Buffers;

namespace MetalLb.Net.Gossip.Transport;

/// <summary>Consumes a stream reply as it arrives; NeedMoreData asks for more bytes.</summary>
public delegate OperationStatus StreamReplyHandler(ReadOnlySpan<byte> received, bool failed);
