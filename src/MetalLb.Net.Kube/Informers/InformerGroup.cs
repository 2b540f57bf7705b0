using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Kube.Informers;

/// <summary>
/// The informers one process runs, started and stopped together. <see cref="WaitForSyncAsync"/>
/// waits for every cache and, every <c>every</c>, says which ones still wait and why (a CRD not
/// installed, RBAC refusing the list, the API unreachable), so a stuck start is never silent.
/// Both daemons use it; neither decides anything before all their caches have synced.
/// </summary>
public sealed class InformerGroup : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly List<Member> _members = [];
    private readonly List<Task> _running = [];
    private CancellationTokenSource? _stop;

    public InformerGroup(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Adds an informer under the name reports use (e.g. "ipaddresspools.metallb.io").</summary>
    public Informer<T> Add<T>(Informer<T> informer, string name) where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(informer);
        _members.Add(new Member(name, informer.ReadyAsync, () => informer.IsReady, () => informer.LastListError, informer.RunAsync));
        return informer;
    }

    /// <summary>Starts every informer; they run until <paramref name="ct"/> or <see cref="DisposeAsync"/>.</summary>
    public void Start(CancellationToken ct)
    {
        if (_stop is not null)
            throw new InvalidOperationException("The informer group is already started.");
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        foreach (Member m in _members)
            _running.Add(m.Run(_stop.Token));
    }

    /// <summary>Names of the caches that have not synced yet, each with the last list error if any.</summary>
    public IReadOnlyList<(string Name, string Reason)> Waiting =>
        _members.Where(m => !m.IsReady()).Select(m => (m.Name, m.LastError()?.Message ?? "no answer yet")).ToList();

    /// <summary>
    /// Completes when every cache has synced. Every <paramref name="every"/> until then,
    /// <paramref name="stillWaiting"/> is called once per cache that still waits, with why.
    /// </summary>
    public async Task WaitForSyncAsync(Action<string, string> stillWaiting, TimeSpan every, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stillWaiting);
        Task all = Task.WhenAll(_members.Select(m => m.Ready(ct)));
        while (await Task.WhenAny(all, Task.Delay(every, _time, ct)).ConfigureAwait(false) != all)
        {
            foreach (var (name, reason) in Waiting)
                stillWaiting(name, reason);
        }
        await all.ConfigureAwait(false);
    }

    /// <summary>Stops every informer and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop is null)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (Task t in _running)
        {
            try
            {
                await t.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped on purpose.
            }
        }
        _running.Clear();
        _stop.Dispose();
        _stop = null;
    }

    private sealed record Member(string Name, Func<CancellationToken, Task> Ready, Func<bool> IsReady,
        Func<Exception?> LastError, Func<CancellationToken, Task> Run);
}
