using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Queue;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Kube.Watch;

namespace MetalLb.Net.Kube.Tests.Wire;

/// <summary>Informers against the emulator: initial sync, indexes, recovery from cuts and 410.</summary>
public sealed class InformerTests : IAsyncLifetime
{
    private static readonly ResilientWatchOptions Fast = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        PageSize = 10,
    };

    private Emulator _emu = null!;
    private ResourceClient<Service> _services = null!;
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync()
    {
        _emu = await Emulator.StartAsync();
        _services = _emu.Client.Resource<Service>();
        await _emu.CreateNamespaceAsync("team-a");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        await _emu.DisposeAsync();
    }

    private (Informer<Service> Informer, Task Run) Start()
    {
        var informer = new Informer<Service>(_services, null, Fast);
        return (informer, informer.RunAsync(_stop.Token));
    }

    /// <summary>The cache and the server agree: same keys at the same resourceVersions.</summary>
    private async Task<bool> CacheEqualsServer(Informer<Service> informer)
    {
        var server = (await _services.ListAllAsync()).Items.ToDictionary(s => s.Key, s => s.Metadata.ResourceVersion);
        var cache = informer.Cache.List().ToDictionary(s => s.Key, s => s.Metadata.ResourceVersion);
        return server.Count == cache.Count && server.All(kv => cache.GetValueOrDefault(kv.Key) == kv.Value);
    }

    private async Task EventuallyEqual(Informer<Service> informer, string what)
    {
        DateTime until = DateTime.UtcNow + Eventually.DefaultDeadline;
        while (!await CacheEqualsServer(informer))
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"cache never matched the server: {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Ready_after_the_initial_list_with_namespace_and_label_indexes()
    {
        for (int i = 0; i < 25; i++)
            await _services.CreateAsync(Emulator.Service($"s{i}", i % 2 == 0 ? "default" : "team-a", new() { ["tier"] = i < 5 ? "front" : "back" }));
        var (informer, _) = Start();
        await informer.ReadyAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(25, informer.Cache.Count);   // all of the list, across pages of 10, before Ready
        Assert.Equal(12, informer.Cache.ByNamespace("team-a").Count);
        Assert.Equal(5, informer.Cache.ByLabel("tier", "front").Count);
        Assert.Equal("s3", informer.Cache.Get("team-a/s3")!.Metadata.Name);

        await _services.PatchAsync("team-a", "s3", PatchType.Merge, """{"metadata":{"labels":{"tier":"back"}}}""");
        await Eventually.True(() => informer.Cache.ByLabel("tier", "front").Count == 4, "label index follows a change");
        informer.Cache.AddIndex("type", s => [s.Spec.Type ?? ""]);
        Assert.Equal(25, informer.Cache.ByIndex("type", "LoadBalancer").Count);
    }

    [Fact]
    public async Task A_watch_survives_a_forced_410_and_a_cut_connection_with_the_cache_equal_to_the_server()
    {
        for (int i = 0; i < 30; i++)
            await _services.CreateAsync(Emulator.Service($"svc-{i}"));
        var (informer, _) = Start();
        var deleted = new List<string>();
        informer.AddHandler(c => { if (c.Type == WatchEventType.Deleted) lock (deleted) deleted.Add(c.Key); });
        await informer.ReadyAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await EventuallyEqual(informer, "after initial sync");

        // 1. A cut connection: changes made while it is down arrive on the resumed watch.
        await _emu.WatchStreamingAsync(() => informer.WatchEvents);
        _emu.Faults.CutWatches();
        for (int i = 0; i < 5; i++)
            await _services.PatchAsync("default", $"svc-{i}", PatchType.Merge, """{"metadata":{"labels":{"round":"1"}}}""");
        await _services.DeleteAsync("default", "svc-29");
        await _services.CreateAsync(Emulator.Service("after-cut"));
        await EventuallyEqual(informer, "after the cut");

        // 2. A forced 410: history compacted while the watch is down, the next watch expired.
        await _emu.WatchStreamingAsync(() => informer.WatchEvents);
        _emu.Faults.ExpireNextWatches(1);
        _emu.Faults.CutWatches();
        for (int i = 5; i < 10; i++)
            await _services.PatchAsync("default", $"svc-{i}", PatchType.Merge, """{"metadata":{"labels":{"round":"2"}}}""");
        await _services.DeleteAsync("default", "svc-28");
        await _services.CreateAsync(Emulator.Service("after-410"));
        _emu.Server.Compact();
        await EventuallyEqual(informer, "after the 410");
        await Eventually.True(() => informer.Relists >= 1, "a relist happened");

        // 3. And it keeps following the server afterwards.
        await _services.PatchAsync("default", "svc-20", PatchType.Merge, """{"metadata":{"labels":{"round":"3"}}}""");
        await EventuallyEqual(informer, "after recovery");

        Assert.Equal("2", informer.Cache.Get("default/svc-7")!.Metadata.Labels!["round"]);
        Assert.Null(informer.Cache.Get("default/svc-28"));
        lock (deleted)
            Assert.Equal(["default/svc-29", "default/svc-28"], deleted);   // each delete seen once, none missed
        Assert.True(informer.Connections >= 3, $"{informer.Connections} connections");
    }

    [Fact]
    public async Task Handlers_feed_a_de_duplicating_work_queue()
    {
        var (informer, _) = Start();
        using var queue = new WorkQueue<string>();
        informer.EnqueueTo(queue);
        await informer.ReadyAsync().WaitAsync(TimeSpan.FromSeconds(30));

        await _services.CreateAsync(Emulator.Service("q"));
        for (int i = 0; i < 5; i++)
            await _services.PatchAsync("default", "q", PatchType.Merge, "{\"metadata\":{\"labels\":{\"n\":\"" + i + "\"}}}");
        await Eventually.True(() => informer.Cache.Get("default/q")?.Metadata.Labels?.GetValueOrDefault("n") == "4", "last change cached");

        var (key, _) = await queue.GetAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("default/q", key);
        Assert.Equal(0, queue.Count);   // six changes, one key to reconcile
        // Reconcile from the cache, not the event: it already holds the latest version.
        Assert.Equal("4", informer.Cache.Get(key)!.Metadata.Labels!["n"]);
        queue.Done(key);
    }

    [Fact]
    public async Task Ready_waits_through_a_failing_first_list()
    {
        await _services.CreateAsync(Emulator.Service("late"));
        _emu.Faults.FailNext(3, 500, "GET", "/services");
        var (informer, _) = Start();
        await informer.ReadyAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(informer.Cache.Get("default/late"));
        // The three failures were served (else the test proved nothing), each a list of services.
        Assert.Equal(3, _emu.Requests.Count(r => r.StartsWith("GET ", StringComparison.Ordinal) && r.Contains("/services", StringComparison.Ordinal) && r.EndsWith("-> 500", StringComparison.Ordinal)));
    }
}
