using System.Threading.Channels;

namespace MetalLb.Net.KubeEmulator.Store;

/// <summary>One open watch: the store pushes events in commit order; the HTTP side reads them.</summary>
internal sealed class Watcher(string typeKey) : IDisposable
{
    private readonly CancellationTokenSource _cut = new();

    public string TypeKey { get; } = typeKey;

    public Channel<StoredEvent> Events { get; } = Channel.CreateUnbounded<StoredEvent>(
        new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Cancelled when a test cuts open watches: the stream ends without a final event.</summary>
    public CancellationToken Cut => _cut.Token;

    public void CutNow() => _cut.Cancel();

    public void Dispose() => _cut.Dispose();
}
