using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MetalLb.Net.Hosting.Tests;

/// <summary>
/// A real Kestrel host on a free loopback port serving MetalLb.Net's endpoints, with a meter
/// that records the controller metrics upstream exposes.
/// </summary>
internal sealed class MetricsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsHost(WebApplication app, Uri address, Meter meter)
    {
        _app = app;
        Address = address;
        Meter = meter;
    }

    public Uri Address { get; }
    public Meter Meter { get; }
    public ReadinessGate Readiness => _app.Services.GetRequiredService<ReadinessGate>();

    public static async Task<MetricsHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddMetalLbHosting();
        var app = builder.Build();
        app.MapMetalLbEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var meter = app.Services.GetRequiredService<IMeterFactory>().Create("MetalLb.Net.Controller");
        return new MetricsHost(app, new Uri(address), meter);
    }

    /// <summary>Upstream's controller metrics, with values a test can look for.</summary>
    public void RecordControllerMetrics(long updates = 42)
    {
        Meter.CreateCounter<long>("metallb_k8s_client_updates_total", description: "Number of k8s object updates that have been processed.").Add(updates);
        Meter.CreateCounter<long>("metallb_k8s_client_update_errors_total", description: "Number of k8s object updates that failed for some reason.").Add(1);
        Meter.CreateObservableGauge("metallb_k8s_client_config_loaded_bool", () => 1, description: "1 if the MetalLB configuration was successfully loaded at least once.");
        Meter.CreateObservableGauge("metallb_k8s_client_config_stale_bool", () => 0, description: "1 if running on a stale configuration, because the latest config failed to load.");
        Meter.CreateObservableGauge("metallb_allocator_addresses_in_use_total",
            () => new Measurement<long>(3, new KeyValuePair<string, object?>("pool", "public")), description: "Number of IP addresses in use, per pool.");
        Meter.CreateObservableGauge("metallb_allocator_addresses_total",
            () => new Measurement<long>(16, new KeyValuePair<string, object?>("pool", "public")), description: "Number of usable IP addresses, per pool.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
