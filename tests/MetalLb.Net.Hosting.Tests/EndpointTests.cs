using System.Net;

namespace MetalLb.Net.Hosting.Tests;

public sealed class EndpointTests
{
    [Fact]
    public async Task Metrics_health_and_readiness_answer_over_http()
    {
        await using var host = await MetricsHost.StartAsync();
        host.RecordControllerMetrics();
        host.Readiness.Require("informers synced");
        using var http = new HttpClient { BaseAddress = host.Address };

        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType!.ToString());
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("metallb_k8s_client_updates_total 42\n", text, StringComparison.Ordinal);
        Assert.Contains("metallb_allocator_addresses_total{pool=\"public\"} 16\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_resident_memory_bytes gauge", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total{generation=\"0\"}", text, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        using var notReady = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("informers synced", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        host.Readiness.Set("informers synced", true);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Two_hosts_in_one_process_export_only_their_own_meters()
    {
        await using var a = await MetricsHost.StartAsync();
        await using var b = await MetricsHost.StartAsync();
        a.RecordControllerMetrics(updates: 42);
        b.RecordControllerMetrics(updates: 7);
        using var http = new HttpClient { BaseAddress = a.Address };
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("metallb_k8s_client_updates_total 42\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("metallb_k8s_client_updates_total 7\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("all", Microsoft.Extensions.Logging.LogLevel.Trace)]
    [InlineData("info", Microsoft.Extensions.Logging.LogLevel.Information)]
    [InlineData("warn", Microsoft.Extensions.Logging.LogLevel.Warning)]
    [InlineData("none", Microsoft.Extensions.Logging.LogLevel.None)]
    public void Log_levels_are_upstreams_flag_values(string flag, Microsoft.Extensions.Logging.LogLevel expected) =>
        Assert.Equal(expected, MetalLbHostingExtensions.ParseLevel(flag));

    [Fact]
    public void An_unknown_log_level_says_which_ones_exist() =>
        Assert.Contains("use all, debug, info, warn, error or none",
            Assert.Throws<ArgumentException>(() => MetalLbHostingExtensions.ParseLevel("verbose")).Message, StringComparison.Ordinal);
}
