using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace MetalLb.Net.Layer2.Sockets;

/// <summary>
/// Creates sockets inside a named network namespace (`ip netns add NAME`), in-process: one
/// dedicated thread calls setns(2) on /var/run/netns/NAME once and then creates every socket
/// asked for. A socket stays in the namespace it was created in, so receive threads and timers
/// run on ordinary threads. Network namespaces are per thread, so no other thread is affected.
/// The tests use it (rather than a helper process under `ip netns exec`) so they read the
/// announcer's counters and state directly; a speaker could serve a namespace the same way.
/// </summary>
public sealed partial class NamespaceSocketProvider : ISocketProvider, IDisposable
{
    private const int CloneNewNet = 0x4000_0000;
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public NamespaceSocketProvider(string netns)
    {
        ArgumentException.ThrowIfNullOrEmpty(netns);
        _thread = new Thread(() => Run(netns)) { IsBackground = true, Name = $"netns-{netns}" };
        _thread.Start();
        _entered.Task.GetAwaiter().GetResult(); // surfaces a failed setns here
    }

    public T Create<T>(Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                done.SetResult(create());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join();
        _work.Dispose();
    }

    private void Run(string netns)
    {
        try
        {
            using var handle = File.OpenHandle($"/var/run/netns/{netns}");
            if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                throw new InvalidOperationException($"setns({netns}) failed: errno {Marshal.GetLastPInvokeError()}");
            _entered.SetResult();
        }
        catch (Exception e)
        {
            _entered.SetException(e);
            return;
        }
        foreach (var work in _work.GetConsumingEnumerable())
            work();
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
