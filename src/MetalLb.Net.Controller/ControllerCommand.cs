using System.CommandLine;
using MetalLb.Net.Controller.Webhooks;
using MetalLb.Net.Hosting;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
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
        return await DaemonHost.InvokeAsync(root, args, "metallb-net-controller", () => exit).ConfigureAwait(false);
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

    /// <summary>
    /// /metrics, /healthz and /readyz on --port and on --health-probe-port, where upstream's probes
    /// look for them (one listener set, no per-port routing); no HTTP server when both are 0.
    /// </summary>
    private static Task RunHostAsync(ControllerSettings settings, KubeClientOptions kube, CancellationToken ct) =>
        DaemonHost.RunAsync((services, logging) => AddController(services, logging, settings, kube),
            settings.Bind, [settings.MetricsPort, settings.HealthPort], ct);

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
            Task webhooks = settings.Webhook.Enabled
                ? new WebhookService(client, settings.Webhook, settings.Options.Mode, readiness, logs, TimeProvider.System).RunAsync(stoppingToken)
                : Task.CompletedTask;
            if (settings.Allocate)
            {
                if (settings.Options.MemberlistSecretName is { } secret)
                    await new MemberlistSecret(client, settings.Options, logs.CreateLogger("controller.memberlist")).EnsureAsync(secret, stoppingToken).ConfigureAwait(false);
                await Task.WhenAll(webhooks,
                    new ControllerRuntime(client, settings.Options, metrics, readiness, logs).RunAsync(stoppingToken)).ConfigureAwait(false);
            }
            else
                await webhooks.ConfigureAwait(false);
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Note}")]
        private partial void LogIgnored(string note);
    }
}
