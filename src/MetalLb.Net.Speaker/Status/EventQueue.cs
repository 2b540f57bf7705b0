using System.Threading.Channels;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Events;

namespace MetalLb.Net.Speaker.Status;

/// <summary>
/// Events leave the reconcile loop through a queue, so a slow or failing API never delays an
/// ARP takeover. The recorder folds repeats into counts and limits spam per object.
/// </summary>
internal sealed class EventQueue : IAsyncDisposable
{
    private readonly EventRecorder _recorder;
    private readonly Channel<(KubeObject Involved, string Type, string Reason, string Message)> _queue =
        Channel.CreateBounded<(KubeObject, string, string, string)>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Task _loop;

    public EventQueue(EventRecorder recorder)
    {
        _recorder = recorder;
        _loop = Task.Run(LoopAsync);
    }

    public void Normal(KubeObject involved, string reason, string message) =>
        _queue.Writer.TryWrite((involved, EventRecorder.Normal, reason, message));

    public void Warning(KubeObject involved, string reason, string message) =>
        _queue.Writer.TryWrite((involved, EventRecorder.Warning, reason, message));

    private async Task LoopAsync()
    {
        await foreach (var e in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _recorder.RecordAsync(e.Involved, e.Type, e.Reason, e.Message, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The recorder counts failures; an event is never worth stopping the speaker for.
            }
        }
    }

    /// <summary>Sends what is queued (up to a few seconds) and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
