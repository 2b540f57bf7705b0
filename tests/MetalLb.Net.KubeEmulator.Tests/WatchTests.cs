using System.Text.Json.Nodes;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>The watch protocol: initial events, resume, 410 Expired, bookmarks, selectors, cuts.</summary>
public sealed class WatchTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private RawApi _api = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { HistoryLimit = 50 });
        _api = new RawApi(_server.CreateHttpClient());
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_watch_without_resource_version_starts_with_every_object_then_follows_changes()
    {
        await _api.CreateConfigMapAsync("a");
        using var watch = await _api.WatchAsync("api/v1/namespaces/default/configmaps?watch=true");
        var first = await watch.NextAsync();
        Assert.Equal("ADDED", first!["type"]!.GetValue<string>());
        Assert.Equal("a", first["object"]!["metadata"]!["name"]!.GetValue<string>());
        await _api.OkAsync(_api.MergePatchAsync("api/v1/namespaces/default/configmaps/a", new JsonObject { ["data"] = new JsonObject { ["k"] = "w" } }));
        var modified = await watch.NextAsync();
        Assert.Equal("MODIFIED", modified!["type"]!.GetValue<string>());
        Assert.Equal("w", modified["object"]!["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_watch_resumes_after_the_given_resource_version_without_loss_or_duplicates()
    {
        var a = await _api.CreateConfigMapAsync("a");
        await _api.CreateConfigMapAsync("b");
        await _api.OkAsync(_api.DeleteAsync("api/v1/namespaces/default/configmaps/a"));
        using var watch = await _api.WatchAsync($"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={RawApi.Rv(a)}");
        var added = await watch.NextAsync();
        var deleted = await watch.NextAsync();
        Assert.Equal(("ADDED", "b"), (added!["type"]!.GetValue<string>(), added["object"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(("DELETED", "a"), (deleted!["type"]!.GetValue<string>(), deleted["object"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.True(long.Parse(RawApi.Rv((JsonObject)deleted["object"]!)) > long.Parse(RawApi.Rv((JsonObject)added["object"]!)));
    }

    [Fact]
    public async Task A_too_old_resource_version_gets_an_error_event_with_410_expired()
    {
        var a = await _api.CreateConfigMapAsync("a");
        for (int i = 0; i < 60; i++)
            await _api.CreateConfigMapAsync($"filler-{i}");
        using var watch = await _api.WatchAsync($"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={RawApi.Rv(a)}");
        var error = await watch.NextAsync();
        Assert.Equal("ERROR", error!["type"]!.GetValue<string>());
        Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", error["object"]!["reason"]!.GetValue<string>());
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Compaction_and_the_expire_fault_both_force_410()
    {
        var a = await _api.CreateConfigMapAsync("a");
        _server.Faults.ExpireNextWatches();
        using (var forced = await _api.WatchAsync($"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={RawApi.Rv(a)}"))
            Assert.Equal(410, (await forced.NextAsync())!["object"]!["code"]!.GetValue<int>());
        using (var fine = await _api.WatchAsync($"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={RawApi.Rv(a)}"))
        {
            await _api.CreateConfigMapAsync("b");
            Assert.Equal("ADDED", (await fine.NextAsync())!["type"]!.GetValue<string>());
        }
        _server.Compact();
        using var compacted = await _api.WatchAsync($"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={RawApi.Rv(a)}");
        Assert.Equal(410, (await compacted.NextAsync())!["object"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bookmarks_carry_a_resource_version_to_resume_from()
    {
        var a = await _api.CreateConfigMapAsync("a");
        using var watch = await _api.WatchAsync($"api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&resourceVersion={RawApi.Rv(a)}");
        await _api.CreateConfigMapAsync("b");
        Assert.Equal("ADDED", (await watch.NextAsync())!["type"]!.GetValue<string>());
        await Eventually.True(() => _server.OpenWatches == 1, "the watch to be registered");
        _server.SendBookmarks();
        var bookmark = await watch.NextAsync();
        Assert.Equal("BOOKMARK", bookmark!["type"]!.GetValue<string>());
        Assert.Equal("ConfigMap", bookmark["object"]!["kind"]!.GetValue<string>());
        Assert.Equal(_server.ResourceVersion.ToString(), RawApi.Rv((JsonObject)bookmark["object"]!));
    }

    [Fact]
    public async Task Periodic_bookmarks_arrive_when_allowed()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { BookmarkInterval = TimeSpan.FromMilliseconds(50) });
        using var api = new RawApi(server.CreateHttpClient());
        using var watch = await api.WatchAsync($"api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&resourceVersion={server.ResourceVersion}");
        Assert.Equal("BOOKMARK", (await watch.NextAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_label_change_moves_an_object_out_of_a_selected_watch_as_deleted()
    {
        await _api.CreateConfigMapAsync("a", labels: new JsonObject { ["app"] = "x" });
        using var watch = await _api.WatchAsync("api/v1/namespaces/default/configmaps?watch=1&labelSelector=app%3Dx");
        Assert.Equal("ADDED", (await watch.NextAsync())!["type"]!.GetValue<string>());
        await _api.OkAsync(_api.MergePatchAsync("api/v1/namespaces/default/configmaps/a",
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "y" } } }));
        Assert.Equal("DELETED", (await watch.NextAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cutting_watches_ends_every_open_stream()
    {
        using var watch = await _api.WatchAsync($"api/v1/configmaps?watch=1&resourceVersion={_server.ResourceVersion}");
        await Eventually.True(() => _server.OpenWatches == 1, "the watch to be registered");
        Assert.Equal(1, _server.Faults.CutWatches());
        Assert.True(await watch.EndsAsync());
        await Eventually.True(() => _server.OpenWatches == 0, "the watch to be forgotten");
    }

    [Fact]
    public async Task Timeout_seconds_ends_the_stream_cleanly()
    {
        using var watch = await _api.WatchAsync($"api/v1/configmaps?watch=1&timeoutSeconds=1&resourceVersion={_server.ResourceVersion}");
        Assert.Null(await watch.NextAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Send_initial_events_ends_the_initial_list_with_a_marked_bookmark()
    {
        await _api.CreateConfigMapAsync("a");
        using var watch = await _api.WatchAsync("api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan");
        Assert.Equal("ADDED", (await watch.NextAsync())!["type"]!.GetValue<string>());
        var end = await watch.NextAsync();
        Assert.True(end!["type"]!.GetValue<string>() == "BOOKMARK", end.ToJsonString());
        Assert.True(end["object"]!["metadata"]!["annotations"] is not null, end.ToJsonString());
        Assert.Equal("true", end["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
    }

    [Fact]
    public async Task After_a_cut_a_watch_resumed_from_the_last_seen_version_gets_what_happened_meanwhile()
    {
        using var watch = await _api.WatchAsync($"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={_server.ResourceVersion}");
        await _api.CreateConfigMapAsync("before");
        var seen = (await watch.NextAsync())!;
        _server.Faults.CutWatches();
        Assert.True(await watch.EndsAsync());
        await _api.CreateConfigMapAsync("during");
        using var resumed = await _api.WatchAsync($"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={RawApi.Rv((JsonObject)seen["object"]!)}");
        var next = (await resumed.NextAsync())!;
        Assert.Equal(("ADDED", "during"), (next["type"]!.GetValue<string>(), next["object"]!["metadata"]!["name"]!.GetValue<string>()));
    }

    /// <summary>
    /// Regression (commit 91cb804): a watch whose client left before the response headers were
    /// flushed stayed registered after disposal, so the next CutWatches or the server's stop threw
    /// ObjectDisposedException. Clients that send a watch and hang up at once must leave nothing.
    /// </summary>
    [Fact]
    public async Task Watches_abandoned_before_their_first_flush_are_unregistered_and_stop_is_clean()
    {
        await _api.CreateConfigMapAsync("a");
        for (var i = 0; i < 40; i++)
        {
            using var socket = new System.Net.Sockets.TcpClient();
            await socket.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
            var request = $"GET /api/v1/namespaces/default/configmaps?watch=true HTTP/1.1\r\nHost: {_server.BaseAddress.Authority}\r\n\r\n";
            await socket.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
            socket.Client.LingerState = new System.Net.Sockets.LingerOption(true, 0); // RST at once, nothing read
        }
        await Eventually.True(() => _server.OpenWatches == 0, "every abandoned watch unregistered", TimeSpan.FromSeconds(15));
        Assert.Equal(0, _server.Faults.CutWatches());
        await _server.StopAsync();
    }
}
