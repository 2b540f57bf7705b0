using System.Diagnostics.Metrics;
using MetalLb.Net.Hosting.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Hosting;

/// <summary>The host glue the controller and speaker share: metrics, health, readiness, logs.</summary>
public static class MetalLbHostingExtensions
{
    /// <summary>
    /// Registers the Prometheus exporter (our MetalLb.Net.* meters, including the process_* and
    /// dotnet_* runtime metrics), and the readiness gate.
    /// </summary>
    public static IServiceCollection AddMetalLbHosting(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton<ReadinessGate>();
        services.TryAddSingleton<ProcessMetrics>();
        services.TryAddSingleton<RuntimeMetrics>();
        // Only this host's meters: two hosts in one process (tests, or a future combined binary)
        // must not export each other's instruments. Meters made without a factory have no scope.
        services.TryAddSingleton(sp =>
        {
            var factory = sp.GetRequiredService<IMeterFactory>();
            return new PrometheusExporter(m => IsExposed(m) && (m.Scope is null || ReferenceEquals(m.Scope, factory)));
        });
        return services;
    }

    public static bool IsExposed(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return meter.Name.StartsWith("MetalLb.Net", StringComparison.Ordinal);
    }

    /// <summary>/metrics (Prometheus text 0.0.4), /healthz (the process answers) and /readyz (every condition ready).</summary>
    public static IEndpointRouteBuilder MapMetalLbEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Created now, not on first scrape, so the process metrics exist from the start.
        endpoints.ServiceProvider.GetRequiredService<ProcessMetrics>();
        endpoints.ServiceProvider.GetRequiredService<RuntimeMetrics>();
        var exporter = endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>();
        var gate = endpoints.ServiceProvider.GetRequiredService<ReadinessGate>();
        // RequestDelegates, not MapGet(string, Delegate): that overload builds its handler by
        // reflection at run time, which trimming and Native AOT cannot keep (IL2026/IL3050).
        endpoints.MapGet("/metrics", Reply(() => Results.Text(exporter.Scrape(), "text/plain; version=0.0.4; charset=utf-8")));
        endpoints.MapGet("/healthz", Reply(() => Results.Text("ok\n")));
        endpoints.MapGet("/readyz", Reply(() => gate.IsReady
            ? Results.Text("ok\n")
            : Results.Text($"not ready: {string.Join(", ", gate.PendingWithReasons)}\n", statusCode: StatusCodes.Status503ServiceUnavailable)));
        return endpoints;
    }

    private static RequestDelegate Reply(Func<IResult> result) => context => result().ExecuteAsync(context);

    /// <summary>
    /// Structured JSON logs on stdout at upstream's --log-level values: all, debug, info, warn,
    /// error, none.
    /// </summary>
    public static ILoggingBuilder AddMetalLbLogging(this ILoggingBuilder logging, string level)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
        LogLevel min = ParseLevel(level);
        logging.SetMinimumLevel(min);
        // ASP.NET Core logs every request at Information: five lines per /metrics scrape and
        // /readyz probe would bury our own. Upstream logs neither; at debug and all they show.
        if (min >= LogLevel.Information)
            logging.AddFilter("Microsoft.AspNetCore", min > LogLevel.Warning ? min : LogLevel.Warning);
        return logging;
    }

    public static LogLevel ParseLevel(string? level) => level?.ToLowerInvariant() switch
    {
        "all" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or null or "" => LogLevel.Information,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "none" => LogLevel.None,
        // No parameter name: the message is printed to the user as is, and " (Parameter 'level')"
        // would only puzzle them.
        _ => throw new ArgumentException($"unknown log level \"{level}\": use all, debug, info, warn, error or none"),
    };
}
