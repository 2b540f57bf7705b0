using System.CommandLine;
using System.Globalization;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Hosting;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Speaker;

/// <summary>
/// `metallb-net-speaker`: upstream's speaker flags and environment, so our image drops into
/// upstream's DaemonSet. Upstream flags we do not implement are accepted with a warning. Exit
/// code 2 for a usage error or a Kubernetes connection that cannot be configured.
/// </summary>
public static class SpeakerCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var flags = new SpeakerFlags();
        var root = new RootCommand(
            "metallb-net-speaker: makes the IPs the controller hands out reachable from this node, as MetalLB's speaker does.\n\n" +
            "Layer 2: the one node Core elects for an IP answers ARP and NDP for it; the live speakers are learned by\n" +
            "memberlist gossip. BGP: every eligible node announces to the BGPPeers that select it (ECMP), in-process,\n" +
            "with IPv6, communities, MD5 and graceful restart. Writes ServiceL2Status, ServiceBGPStatus, the\n" +
            "ConfigurationState speaker-<node> and nodeAssigned events.\n\n" +
            "Example (outside a cluster, as root):\n" +
            "  metallb-net-speaker --kubeconfig ~/.kube/config --node-name node-a \\\n" +
            "    --ml-bindaddr 192.0.2.11 --ml-labels app=metallb,component=speaker");
        flags.AddTo(root);

        int exit = 0;
        root.SetAction(async (parsed, ct) =>
        {
            SpeakerOptions options;
            KubeClientOptions kube;
            try
            {
                options = flags.Read(parsed);
                kube = LoadKubeConfig(flags.Kubeconfig(parsed));
            }
            catch (Exception e) when (e is ArgumentException or KubeConfigException or IOException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                exit = 2;
                return;
            }
            await RunHostAsync(options, kube, flags.LogLevel(parsed), flags.Bind(parsed), flags.Port(parsed), flags.Warnings(parsed), ct)
                .ConfigureAwait(false);
        });
        return await DaemonHost.InvokeAsync(root, args, "metallb-net-speaker", () => exit).ConfigureAwait(false);
    }

    private static KubeClientOptions LoadKubeConfig(string? path) =>
        path is { Length: > 0 } ? KubeConfigLoader.LoadFiles([path]) : InClusterConfig.LoadDefault();

    private static Task RunHostAsync(SpeakerOptions options, KubeClientOptions kube, string logLevel, string bind, int port,
        IReadOnlyList<string> warnings, CancellationToken ct) =>
        DaemonHost.RunAsync((services, logging) => AddSpeaker(services, logging, options, kube, logLevel, warnings), bind, port, ct);

    private static void AddSpeaker(IServiceCollection services, ILoggingBuilder logging, SpeakerOptions options, KubeClientOptions kube,
        string logLevel, IReadOnlyList<string> warnings)
    {
        logging.AddMetalLbLogging(logLevel);
        services.AddMetalLbHosting();
        services.AddSingleton(options);
        services.AddSingleton(_ => new KubeClient(kube));
        // A short grace so SIGTERM can leave gossip, stop BGP and let the last writes land.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        services.AddHostedService(sp => new SpeakerService(sp, warnings));
    }

    private sealed class SpeakerService(IServiceProvider services, IReadOnlyList<string> warnings) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var runtime = new SpeakerRuntime(
                services.GetRequiredService<KubeClient>(),
                services.GetRequiredService<SpeakerOptions>(),
                services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
                services.GetRequiredService<ReadinessGate>(),
                services.GetRequiredService<ILoggerFactory>());
            return runtime.RunAsync(warnings, stoppingToken);
        }
    }
}
