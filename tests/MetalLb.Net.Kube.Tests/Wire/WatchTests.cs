using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Kube.Watch;

namespace MetalLb.Net.Kube.Tests.Wire;

/// <summary>Raw and resilient watches against the emulator, with its cut / 410 faults.</summary>
public sealed class WatchTests : IAsyncLifetime
{
    private static readonly ResilientWatchOptions Fast = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        PageSize = 7,
    };

    private Emulator _emu = null!;
    private ResourceClient<Service> _services = null!;

    public async Task InitializeAsync()
    {
        _emu = await Emulator.StartAsync();
        _services = _emu.Client.Resource<Service>();
    }

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public async Task A_raw_watch_streams_changes_and_bookmarks_from_a_resourceVersion()
    {
        KubeList<Service> start = await _services.ListAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<WatchEvent<Service>>();
        Task reading = Task.Run(async () =>
        {
            await foreach (var e in _services.WatchAsync("default", new ListOptions { ResourceVersion = start.ResourceVersion, AllowWatchBookmarks = true }, cts.Token))
            {
                lock (events)
                {
                    // The server's own periodic bookmarks may come at any time; ours follows the three changes.
                    if (e.Type == WatchEventType.Bookmark && events.Count < 3)
                        continue;
                    events.Add(e);
                }
                if (e.Type == WatchEventType.Bookmark)
                    break;
            }
        });
        await Eventually.True(() => _emu.Server.OpenWatches > 0, "watch open");
        Service svc = await _services.CreateAsync(Emulator.Service("w"));
        await _services.PatchAsync("default", "w", PatchType.Merge, """{"metadata":{"labels":{"a":"b"}}}""");
        await _services.DeleteAsync("default", "w");
        await Eventually.True(() => { lock (events) return events.Count == 3; }, "three events");
        _emu.Server.SendBookmarks();
        await reading.WaitAsync(cts.Token);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted, WatchEventType.Bookmark], events.Select(e => e.Type));
        Assert.Equal(svc.Metadata.Uid, events[0].Object!.Metadata.Uid);
        Assert.Equal("b", events[1].Object!.Metadata.Labels!["a"]);
        Assert.False(string.IsNullOrEmpty(events[3].ResourceVersion));
    }

    [Fact]
    public async Task A_too_old_resourceVersion_is_an_ERROR_event_with_410()
    {
        KubeList<Service> start = await _services.ListAsync();
        await _services.CreateAsync(Emulator.Service("x"));
        _emu.Server.Compact();
        var e = await _services.WatchAsync("default", new ListOptions { ResourceVersion = start.ResourceVersion }).FirstAsync();
        Assert.Equal(WatchEventType.Error, e.Type);
        Assert.Equal(410, e.Status!.Code);
    }

    [Fact]
    public async Task Across_cut_connections_no_event_is_lost_or_repeated()
    {
        var watch = new ResilientWatch<Service>(_services, "default", Fast);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<WatchEvent<Service>>();
        Task consuming = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in watch.RunAsync(cts.Token))
                    lock (seen)
                        seen.Add(e);
            }
            catch (OperationCanceledException) { }
        });
        await Eventually.True(() => { lock (seen) return seen.Any(e => e.Type == WatchEventType.Synced); }, "initial sync");

        const int batches = 5, perBatch = 12;
        for (int b = 0; b < batches; b++)
        {
            await _emu.WatchStreamingAsync(() => watch.WatchEvents);
            for (int i = 0; i < perBatch; i++)
                await _services.CreateAsync(Emulator.Service($"b{b}-{i}"));
            _emu.Faults.CutWatches();   // some of this batch may still be in flight: they must come on the next connection
        }
        await Eventually.True(() => { lock (seen) return seen.Count(e => e.Type == WatchEventType.Added) >= batches * perBatch; }, "all added");
        await cts.CancelAsync();
        await consuming;

        var added = seen.Where(e => e.Type == WatchEventType.Added).Select(e => e.Object!.Metadata.Name).ToList();
        Assert.Equal(batches * perBatch, added.Count);
        Assert.Equal(added.Distinct().Count(), added.Count);
        var expected = Enumerable.Range(0, batches).SelectMany(b => Enumerable.Range(0, perBatch).Select(i => $"b{b}-{i}"));
        Assert.Equal(expected, added);   // in server order
        Assert.True(watch.Connections >= 2, $"only {watch.Connections} connections");
        Assert.Equal(0, watch.Relists);
    }

    [Fact]
    public async Task After_410_the_relist_delivers_only_the_difference()
    {
        await _services.CreateAsync(Emulator.Service("keep"));
        await _services.CreateAsync(Emulator.Service("change"));
        await _services.CreateAsync(Emulator.Service("remove"));
        var watch = new ResilientWatch<Service>(_services, "default", Fast);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<WatchEvent<Service>>();
        Task consuming = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in watch.RunAsync(cts.Token))
                    lock (seen)
                        seen.Add(e);
            }
            catch (OperationCanceledException) { }
        });
        await Eventually.True(() => { lock (seen) return seen.Any(e => e.Type == WatchEventType.Synced); }, "initial sync");
        await _emu.WatchStreamingAsync(() => watch.WatchEvents);

        // While the watch is down, history is compacted and the next watch is refused with 410.
        _emu.Faults.ExpireNextWatches(1);
        _emu.Faults.CutWatches();
        await _services.PatchAsync("default", "change", PatchType.Merge, """{"metadata":{"labels":{"v":"2"}}}""");
        await _services.DeleteAsync("default", "remove");
        await _services.CreateAsync(Emulator.Service("new"));
        _emu.Server.Compact();

        List<WatchEvent<Service>> After()
        {
            lock (seen)
                return seen.SkipWhile(e => e.Type != WatchEventType.Synced).Skip(1)
                    .Where(e => e.Type is not WatchEventType.Synced and not WatchEventType.Bookmark).ToList();
        }
        await Eventually.True(() => After().Count >= 3, "three changes after the 410");
        await cts.CancelAsync();
        await consuming;

        var after = After();
        Assert.Equal(3, after.Count);
        Assert.Contains(after, e => e.Type == WatchEventType.Modified && e.Object!.Metadata.Name == "change");
        Assert.Contains(after, e => e.Type == WatchEventType.Deleted && e.Object!.Metadata.Name == "remove");
        Assert.Contains(after, e => e.Type == WatchEventType.Added && e.Object!.Metadata.Name == "new");
        Assert.DoesNotContain(after, e => e.Object!.Metadata.Name == "keep");
        Assert.True(watch.Relists >= 1, "the 410 led to a relist");
    }
}
