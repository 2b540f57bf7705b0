using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MetalLb.Net.Lab;

/// <summary>
/// A thread that has joined a network namespace (setns) and makes sockets there for the test
/// process. A socket stays in the namespace it was created in, whichever thread uses it later,
/// so the lab can listen on a node's loopback or dial a node's metrics port from the test.
/// </summary>
public sealed class NamespaceSockets : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread _thread;

    public NamespaceSockets(string netns)
    {
        Namespace = netns;
        var ready = new TaskCompletionSource();
        _thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{netns}");
                if (NativeMethods.setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns({netns}) failed: errno {Marshal.GetLastPInvokeError()}");
                ready.SetResult();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                ready.SetException(e);
                return;
            }
            foreach (var work in _work.GetConsumingEnumerable())
                work();
        }) { IsBackground = true, Name = $"netns {netns}" };
        _thread.Start();
        ready.Task.GetAwaiter().GetResult();
    }

    public string Namespace { get; }

    /// <summary>Creates a socket inside the namespace.</summary>
    public Socket NewSocket(AddressFamily family, SocketType type, ProtocolType protocol)
    {
        var done = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                done.SetResult(new Socket(family, type, protocol));
            }
            catch (SocketException e)
            {
                done.SetException(e);
            }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    /// <summary>An HttpClient whose connections are made inside the namespace (a speaker's /metrics on the node).</summary>
    public HttpClient HttpClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (ctx, ct) =>
        {
            var s = NewSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await s.ConnectAsync(ctx.DnsEndPoint.Host, ctx.DnsEndPoint.Port, ct);
                return new NetworkStream(s, ownsSocket: true);
            }
            catch
            {
                s.Dispose();
                throw;
            }
        },
    }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _work.Dispose();
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int setns(int fd, int nstype);
    }
}
