using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MetalLb.Net.Bgp.Bench;

/// <summary>Creates sockets from a thread that joined a network namespace (setns), for BgpSpeakerOptions.SocketFactory.</summary>
internal sealed partial class NetnsSockets
{
    private readonly string _ns;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    public NetnsSockets(string ns) => _ns = ns;

    public Socket Create(AddressFamily family)
    {
        Socket? socket = null;
        Exception? error = null;
        var t = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{_ns}");
                if (setns((int)handle.DangerousGetHandle(), 0x40000000) != 0)
                    throw new InvalidOperationException($"setns failed: {Marshal.GetLastPInvokeError()}");
                socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or SocketException or UnauthorizedAccessException)
            {
                error = e;
            }
        });
        t.Start();
        t.Join();
        return socket ?? throw new InvalidOperationException($"no socket in {_ns}", error);
    }
}
