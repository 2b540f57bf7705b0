using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MetalLb.Net.Bgp.Session;

/// <summary>
/// TCP MD5 signatures (RFC 2385) through Linux's TCP_MD5SIG socket option. A client sets the
/// key before connecting; a listener sets one per peer address before accepting
/// (docs/upstream-behaviour.md#tcp-md5: both verified against gobgpd and BIRD).
/// </summary>
public static class TcpMd5
{
    private const int IpProtoTcp = 6;
    private const int TcpMd5Sig = 14;
    private const int MaxKeyLength = 80; // TCP_MD5SIG_MAXKEYLEN

    /// <summary>Installs (or with an empty key, removes) the key for <paramref name="peer"/>.</summary>
    public static void SetKey(Socket socket, IPAddress peer, string key)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(key);
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("TCP MD5 signatures need Linux's TCP_MD5SIG");
        var keyBytes = Encoding.UTF8.GetBytes(key);
        if (keyBytes.Length > MaxKeyLength)
            throw new ArgumentException($"TCP MD5 keys are at most {MaxKeyLength} bytes", nameof(key));

        // struct tcp_md5sig { sockaddr_storage addr (128); u8 flags; u8 prefixlen; u16 keylen;
        //                     int ifindex; u8 key[80]; }  = 216 bytes
        var buffer = new byte[216];
        if (socket.AddressFamily == AddressFamily.InterNetworkV6 && peer.AddressFamily == AddressFamily.InterNetwork)
            peer = peer.MapToIPv6();
        if (peer.AddressFamily == AddressFamily.InterNetwork)
        {
            BitConverter.TryWriteBytes(buffer.AsSpan(0), (ushort)2); // AF_INET, host order
            peer.TryWriteBytes(buffer.AsSpan(4), out _);
        }
        else
        {
            BitConverter.TryWriteBytes(buffer.AsSpan(0), (ushort)10); // AF_INET6
            peer.TryWriteBytes(buffer.AsSpan(8), out _);
        }
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(130), (ushort)keyBytes.Length);
        keyBytes.CopyTo(buffer, 136);
        socket.SetRawSocketOption(IpProtoTcp, TcpMd5Sig, buffer);
    }
}
