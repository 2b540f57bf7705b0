using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MetalLb.Net.Layer2.Sockets;

/// <summary>
/// socket(2) for the one family System.Net.Sockets refuses: AF_NETLINK ("Address family not
/// supported" from the managed constructor). The descriptor is then wrapped in a managed Socket,
/// so send, receive, timeouts and disposal are the ordinary ones.
/// </summary>
internal static partial class NativeSockets
{
    private const int AfNetlink = 16, SockRaw = 3, SockCloexec = 0x80000, NetlinkRoute = 0;

    public static Socket OpenNetlinkRoute()
    {
        int fd = Socket(AfNetlink, SockRaw | SockCloexec, NetlinkRoute);
        if (fd < 0)
            throw new SocketException(Marshal.GetLastPInvokeError());
        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);
}
