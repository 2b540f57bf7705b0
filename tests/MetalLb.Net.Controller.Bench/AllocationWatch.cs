using System.Diagnostics;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Kube.Watch;

namespace MetalLb.Net.Controller.Bench;

/// <summary>
/// One watch on a namespace's Services, from the harness: notes the moment every expected
/// Service has status.loadBalancer.ingress, and the moment every one also carries the pool
/// annotation. Nothing is polled; the emulator pushes each change.
/// </summary>
internal sealed class AllocationWatch : IAsyncDisposable
{
    private readonly ResourceClient<Service> _services;
    private readonly string _ns;
    private readonly int _expected;
    private readonly HashSet<string> _allocated = new(StringComparer.Ordinal);
    private readonly HashSet<string> _annotated = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<long> _allAllocated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<long> _allAnnotated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    public AllocationWatch(ResourceClient<Service> services, string ns, int expected)
    {
        _services = services;
        _ns = ns;
        _expected = expected;
    }

    /// <summary>Stopwatch timestamp of the event that made every Service allocated.</summary>
    public Task<long> AllAllocated => _allAllocated.Task;

    /// <summary>Stopwatch timestamp of the event that gave the last Service its pool annotation.</summary>
    public Task<long> AllAnnotated => _allAnnotated.Task;

    /// <summary>How many Services were seen allocated and annotated so far (for a timeout message).</summary>
    public string Progress
    {
        get
        {
            lock (_allocated)
                return $"{_allocated.Count} of {_expected} allocated, {_annotated.Count} annotated";
        }
    }

    /// <summary>Lists once (for the resourceVersion and what is already there), then watches from there.</summary>
    public async Task StartAsync()
    {
        var list = await _services.ListAsync(_ns);
        foreach (Service s in list.Items)
            See(s);
        _run = Task.Run(() => WatchAsync(list.ResourceVersion));
    }

    private async Task WatchAsync(string? from)
    {
        try
        {
            await foreach (WatchEvent<Service> e in _services.WatchAsync(_ns, new ListOptions { ResourceVersion = from }, _stop.Token))
            {
                if (e.Type == WatchEventType.Error)
                    throw new InvalidOperationException("the harness's watch ended with an error");
                if (e.Object is { } s && e.Type is WatchEventType.Added or WatchEventType.Modified)
                    See(s);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped on purpose.
        }
        catch (Exception e)
        {
            _allAllocated.TrySetException(e);
            _allAnnotated.TrySetException(e);
        }
    }

    private void See(Service s)
    {
        long now = Stopwatch.GetTimestamp();
        string name = s.Metadata.Name!;
        lock (_allocated)
        {
        if (BenchObjects.IPs(s).Count > 0 && _allocated.Add(name) && _allocated.Count == _expected)
            _allAllocated.TrySetResult(now);
        if (s.Metadata.Annotations?.ContainsKey("metallb.io/ip-allocated-from-pool") == true && _annotated.Add(name) && _annotated.Count == _expected)
            _allAnnotated.TrySetResult(now);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }
}
