using System.CommandLine;
using System.Globalization;
using MetalLb.Net.Hosting;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Controller;

/// <summary>
/// `metallb-net-controller`: parse the flags (<see cref="ControllerFlags"/>), connect, and run
/// the controller behind its HTTP endpoints. Exit code 2 for a usage error or a Kubernetes
/// connection that cannot be configured.
/// </summary>
public static partial class ControllerCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var flags = new ControllerFlags();
        RootCommand root = flags.Build();
        int exit = 0;
        root.SetAction(async (parsed, ct) =>
        {
            if (await PrepareAsync(flags, parsed).ConfigureAwait(false) is not var (settings, kube))
            {
                exit = 2;
                return;
            }
            await RunHostAsync(settings, kube, ct).ConfigureAwait(false);
        });
        ParseResult result = root.Parse(args);
        // An unknown flag or a bad value is a usage error, exit 2 as documented (and as Go's
        // flag package exits for upstream); System.CommandLine's own default would be 1.
        if (result.Errors.Count > 0 && result.Action is not { ClearsParseErrors: true })
        {
            foreach (var error in result.Errors)
                await Console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync("Run 'metallb-net-controller --help' for usage.").ConfigureAwait(false);
            return 2;
        }
        int code = await result.InvokeAsync().ConfigureAwait(false);
        return code != 0 ? code : exit;
    }

    /// <summary>Flag values checked and the connection configured, or null after telling the user why.</summary>
    private static async Task<(ControllerSettings, KubeClientOptions)?> PrepareAsync(ControllerFlags flags, ParseResult parsed)
    {
        try
        {
            ControllerSettings settings = flags.Read(parsed);
            return (settings, LoadKubeConfig(settings.Kubeconfig));
        }
        catch (Exception e) when (e is ArgumentException or KubeConfigException or IOException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static KubeClientOptions LoadKubeConfig(string? path) =>
        path is { Length: > 0 } ? KubeConfigLoader.LoadFiles([path]) : InClusterConfig.LoadDefault();

    private static async Task RunHostAsync(ControllerSettings settings, KubeClientOptions kube, CancellationToken ct)
    {
        // No port at all: no HTTP server (a web host would fall back to listening on :5000).
        if (settings.MetricsPort == 0 && settings.HealthPort == 0)
        {
            var plain = Host.CreateApplicationBuilder();
            AddController(plain.Services, plain.Logging, settings, kube);
            using var host = plain.Build();
            await host.RunAsync(ct).ConfigureAwait(false);
            return;
        }
        var builder = WebApplication.CreateSlimBuilder();
        AddController(builder.Services, builder.Logging, settings, kube);
        builder.WebHost.UseUrls([.. new[] { settings.MetricsPort, settings.HealthPort }.Where(p => p > 0).Select(p => Url(settings.Bind, p))]);
        await using var app = builder.Build();
        MapEndpoints(app, settings);
        await app.RunAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Every endpoint on every port: /healthz and /readyz on --health-probe-port where upstream's
    /// probes look for them, and on --port as before (one listener set, no per-port routing).
    /// </summary>
    private static void MapEndpoints(WebApplication app, ControllerSettings settings) => app.MapMetalLbEndpoints();

    private static string Url(string bind, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"http://{(bind.Contains(':', StringComparison.Ordinal) ? $"[{bind}]" : bind)}:{port}");

    private static void AddController(IServiceCollection services, ILoggingBuilder logging, ControllerSettings settings, KubeClientOptions kube)
    {
        logging.AddMetalLbLogging(settings.LogLevel);
        services.AddMetalLbHosting();
        services.AddSingleton(settings);
        services.AddSingleton(settings.Options);
        services.AddSingleton(_ => new KubeClient(kube));
        services.AddSingleton(sp => new ControllerMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddHostedService<ControllerService>();
    }

    private sealed partial class ControllerService(KubeClient client, ControllerSettings settings, ControllerMetrics metrics,
        ReadinessGate readiness, ILoggerFactory logs) : BackgroundService
    {
        private readonly ILogger _log = logs.CreateLogger("controller");

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            foreach (string note in settings.Notes)
                LogIgnored(note);
            if (!settings.Allocate)
                return;
            if (settings.Options.MemberlistSecretName is { } secret)
                await new MemberlistSecret(client, settings.Options, logs.CreateLogger("controller.memberlist")).EnsureAsync(secret, stoppingToken).ConfigureAwait(false);
            await new ControllerRuntime(client, settings.Options, metrics, readiness, logs).RunAsync(stoppingToken).ConfigureAwait(false);
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Note}")]
        private partial void LogIgnored(string note);
    }
}
