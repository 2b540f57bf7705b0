using System.Net;
using System.Runtime.InteropServices;

namespace MetalLb.Net.Bgp.Bfd;

internal sealed partial class BfdListener
{
    /// <summary>recvmsg(2) on Linux x86-64/arm64 (LP64): struct layouts by offset, no unsafe code.</summary>
    internal static partial class Native
    {
        public const int IPPROTO_IP = 0;
        public const int IPPROTO_IPV6 = 41;
        public const int IP_TTL = 2;            // cmsg type carrying the TTL
        public const int IP_PKTINFO = 8;
        public const int IP_RECVTTL = 12;
        public const int IPV6_RECVPKTINFO = 49;
        public const int IPV6_PKTINFO = 50;
        public const int IPV6_RECVHOPLIMIT = 51;
        public const int IPV6_HOPLIMIT = 52;
        private const int MSG_DONTWAIT = 0x40;
        private const int AF_INET = 2;
        private const int AF_INET6 = 10;

        // struct msghdr: name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48 (56 bytes)
        private const int MsgHdrSize = 56;
        private const int IovSize = 16;
        private const int NameSize = 128;
        private const int ControlSize = 512;

        [DllImport("libc", SetLastError = true)]
        private static extern nint recvmsg(int fd, nint msg, int flags);

        /// <summary>One native block: msghdr, iovec, sockaddr, control buffer, payload; reused per packet.</summary>
        public sealed class MessageBuffers : IDisposable
        {
            private readonly nint _block;
            private readonly int _dataSize;

            public MessageBuffers(int dataSize)
            {
                _dataSize = dataSize;
                _block = Marshal.AllocHGlobal(MsgHdrSize + IovSize + NameSize + ControlSize + dataSize);
            }

            private nint Iov => _block + MsgHdrSize;
            private nint Name => Iov + IovSize;
            private nint Control => Name + NameSize;
            private nint Data => Control + ControlSize;

            /// <summary>One datagram, or null when there was none or it cannot be read (never throws).</summary>
            public BfdDatagram? Receive(int fd, bool multihop)
            {
                Marshal.WriteIntPtr(Iov, Data);
                Marshal.WriteInt64(Iov + 8, _dataSize);
                Marshal.WriteIntPtr(_block, Name);
                Marshal.WriteInt32(_block + 8, NameSize);
                Marshal.WriteIntPtr(_block + 16, Iov);
                Marshal.WriteInt64(_block + 24, 1);
                Marshal.WriteIntPtr(_block + 32, Control);
                Marshal.WriteInt64(_block + 40, ControlSize);
                Marshal.WriteInt32(_block + 48, 0);
                var n = recvmsg(fd, _block, MSG_DONTWAIT);
                if (n < 0)
                    return null;
                var data = new byte[(int)n];
                Marshal.Copy(Data, data, 0, data.Length);
                var source = ReadAddress(Name, Marshal.ReadInt32(_block + 8));
                if (source is null)
                    return null;
                var (ttl, destination) = ReadControl(Control, (int)Marshal.ReadInt64(_block + 40));
                return new BfdDatagram(data, source, destination, ttl, multihop);
            }

            private static IPAddress? ReadAddress(nint name, int length)
            {
                var family = Marshal.ReadInt16(name);
                if (family == AF_INET && length >= 16)
                    return new IPAddress(Bytes(name + 4, 4));
                if (family == AF_INET6 && length >= 28)
                    return new IPAddress(Bytes(name + 8, 16), (uint)Marshal.ReadInt32(name + 24));
                return null;
            }

            /// <summary>Walks the cmsghdrs (len 8 bytes, level 4, type 4, data 8-aligned) for the TTL and the destination.</summary>
            private static (int Ttl, IPAddress? Destination) ReadControl(nint control, int length)
            {
                var ttl = -1;
                IPAddress? destination = null;
                var offset = 0;
                while (offset + 16 <= length)
                {
                    var len = (int)Marshal.ReadInt64(control + offset);
                    if (len < 16 || offset + len > length)
                        break;
                    var level = Marshal.ReadInt32(control + offset + 8);
                    var type = Marshal.ReadInt32(control + offset + 12);
                    var data = control + offset + 16;
                    if ((level, type) is (IPPROTO_IP, IP_TTL) or (IPPROTO_IPV6, IPV6_HOPLIMIT))
                        ttl = Marshal.ReadInt32(data);
                    else if ((level, type) == (IPPROTO_IP, IP_PKTINFO) && len >= 16 + 12)
                        destination = new IPAddress(Bytes(data + 8, 4));     // in_pktinfo.ipi_addr: the header's destination
                    else if ((level, type) == (IPPROTO_IPV6, IPV6_PKTINFO) && len >= 16 + 20)
                        destination = new IPAddress(Bytes(data, 16));
                    offset += (len + 7) & ~7;
                }
                return (ttl, destination);
            }

            private static byte[] Bytes(nint at, int count)
            {
                var b = new byte[count];
                Marshal.Copy(at, b, 0, count);
                return b;
            }

            public void Dispose() => Marshal.FreeHGlobal(_block);
        }
    }
}
