using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using MetalLb.Net.Layer2.Sockets;

namespace MetalLb.Net.Layer2.Interfaces;

/// <summary>
/// Lists links with an RTM_GETLINK and an RTM_GETADDR dump over NETLINK_ROUTE. Netlink rather
/// than /sys/class/net: sysfs shows the namespace it was mounted in, a netlink socket the one it
/// was created in, which is what a namespaced socket provider controls.
/// </summary>
public sealed class NetlinkLinkReader(ISocketProvider sockets) : ILinkSource
{
    private const ushort RtmGetLink = 18, RtmGetAddr = 22;
    private const ushort NlmFRequest = 0x1, NlmFDump = 0x300;
    private int _sequence;

    public IReadOnlyList<LinkInfo> ReadLinks()
    {
        using var socket = sockets.Create(NativeSockets.OpenNetlinkRoute);
        socket.ReceiveTimeout = 2000;
        var links = new List<LinkInfo>();
        var linkLocal = new HashSet<int>();
        Dump(socket, RtmGetLink, family: 0, bodySize: 16, links, linkLocal);
        Dump(socket, RtmGetAddr, family: 10, bodySize: 8, links, linkLocal);
        return [.. links.Select(l => l with { HasIpv6LinkLocal = linkLocal.Contains(l.Index) })];
    }

    private void Dump(Socket socket, ushort type, byte family, int bodySize, List<LinkInfo> links, HashSet<int> linkLocal)
    {
        Span<byte> request = stackalloc byte[16 + bodySize];
        request.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(request, (uint)request.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(request[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(request[6..], NlmFRequest | NlmFDump);
        BinaryPrimitives.WriteUInt32LittleEndian(request[8..], (uint)Interlocked.Increment(ref _sequence));
        request[16] = family;
        socket.Send(request);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                int n = socket.Receive(buffer);
                var status = NetlinkParser.TryParse(buffer.AsSpan(0, n), links, linkLocal, out bool done);
                if (status != OperationStatus.Done)
                    throw new InvalidOperationException($"Netlink dump {type} returned an error or a malformed message.");
                if (done)
                    return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
