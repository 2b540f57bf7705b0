using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>
/// A thread that has joined a network namespace (setns) and creates sockets there. A socket
/// stays in the namespace it was created in, so the speaker under test can run in-process while
/// its traffic stays inside the test's namespaces.
/// </summary>
internal sealed partial class NetnsThread : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread _thread;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    public NetnsThread(string netns)
    {
        var ready = new TaskCompletionSource();
        _thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{netns}");
                if (setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns({netns}) failed: errno {Marshal.GetLastPInvokeError()}");
                ready.SetResult();
            }
            catch (Exception e)
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

    public T Run<T>(Func<T> f)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                done.SetResult(f());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    public Socket NewSocket(AddressFamily family) => Run(() => new Socket(family, SocketType.Stream, ProtocolType.Tcp));

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _work.Dispose();
    }
}
