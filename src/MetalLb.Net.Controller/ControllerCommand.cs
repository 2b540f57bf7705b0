using System.CommandLine;
using System.Globalization;
using MetalLb.Net.Core.Config;
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
/// `metallb-net-controller`: flags as upstream's controller where it has them (--namespace,
/// --lb-class, --log-level, --port), plus leader election. Exit code 2 for a usage error or a
/// Kubernetes connection that cannot be configured.
/// </summary>
public static class ControllerCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var ns = new Option<string>("--namespace")
        {
            Description = "Namespace of the IPAddressPools, Communities, the Lease and the ConfigurationState (env METALLB_NAMESPACE).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("METALLB_NAMESPACE") is { Length: > 0 } v ? v : "metallb-system",
        };
        var lbClass = new Option<string?>("--lb-class")
        {
            Description = "Handle only Services with this spec.loadBalancerClass. Empty (default): only Services without a class.",
        };
        var logLevel = new Option<string>("--log-level")
        {
            Description = "all, debug, info, warn, error or none.",
            DefaultValueFactory = _ => "info",
        };
        var port = new Option<int>("--port")
        {
            Description = "HTTP port for /metrics, /healthz and /readyz; 0 turns the endpoint off.",
            DefaultValueFactory = _ => 7472,
        };
        var bind = new Option<string>("--metrics-bind-address")
        {
            Description = "Address the metrics endpoint listens on.",
            DefaultValueFactory = _ => "0.0.0.0",
        };
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "A kubeconfig file. Default: the in-cluster service account when in a pod, else $KUBECONFIG or ~/.kube/config.",
        };
        var mode = new Option<string>("--bgp-mode")
        {
            Description = "Whose validation rules apply to Communities: frr-k8s (default), frr or native (env METALLB_BGP_TYPE).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("METALLB_BGP_TYPE") is { Length: > 0 } v ? v : "frr-k8s",
        };
        var leaderElect = new Option<bool>("--leader-elect")
        {
            Description = "Hold a Lease before writing, so several replicas can run and one takes over when another dies.",
            DefaultValueFactory = _ => true,
        };
        var leaseName = new Option<string>("--lease-name")
        {
            Description = "Name of the Lease in --namespace.",
            DefaultValueFactory = _ => "metallb-controller",
        };
        var leaseDuration = new Option<double>("--lease-duration")
        {
            Description = "Seconds a standby waits after the last renewal before taking over (renewals every duration/7.5, give up after 2/3 of it).",
            DefaultValueFactory = _ => 15,
        };
        var identity = new Option<string>("--identity")
        {
            Description = "This replica's name on the Lease (env POD_NAME, else the host name).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } v ? v : Environment.MachineName,
        };
        var root = new RootCommand(
            "metallb-net-controller: gives LoadBalancer Services their IPs from IPAddressPools, as MetalLB's controller does.\n\n" +
            "It watches Services, Namespaces, and the IPAddressPools and Communities of --namespace; writes\n" +
            "status.loadBalancer.ingress, the metallb.io/ip-allocated-from-pool annotation, a metallb.io/IPAllocated\n" +
            "condition that says why a Service is pending, events, pool status and the ConfigurationState \"controller\".\n\n" +
            "Example (outside a cluster):\n  metallb-net-controller --kubeconfig ~/.kube/config --namespace metallb-system")
        {
            ns, lbClass, logLevel, port, bind, kubeconfig, mode, leaderElect, leaseName, leaseDuration, identity,
        };
        int exit = 0;
        root.SetAction(async (parsed, ct) =>
        {
            LogLevel level;
            KubeClientOptions kube;
            try
            {
                level = MetalLbHostingExtensions.ParseLevel(parsed.GetValue(logLevel));
                kube = LoadKubeConfig(parsed.GetValue(kubeconfig));
            }
            catch (Exception e) when (e is ArgumentException or KubeConfigException or IOException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                exit = 2;
                return;
            }
            double lease = parsed.GetValue(leaseDuration);
            var options = new ControllerOptions
            {
                Namespace = parsed.GetValue(ns)!,
                LoadBalancerClass = parsed.GetValue(lbClass) is { Length: > 0 } c ? c : null,
                Mode = parsed.GetValue(mode) switch { "native" => BgpMode.Native, "frr" => BgpMode.Frr, _ => BgpMode.FrrK8s },
                LeaderElect = parsed.GetValue(leaderElect),
                LeaseName = parsed.GetValue(leaseName)!,
                LeaseDuration = TimeSpan.FromSeconds(lease),
                RenewDeadline = TimeSpan.FromSeconds(lease * 2 / 3),
                RetryPeriod = TimeSpan.FromSeconds(lease * 2 / 15),
                Identity = parsed.GetValue(identity)!,
            };
            await RunHostAsync(options, kube, parsed.GetValue(logLevel)!, parsed.GetValue(bind)!, parsed.GetValue(port), ct).ConfigureAwait(false);
        });
        var result = root.Parse(args);
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

    private static KubeClientOptions LoadKubeConfig(string? path) =>
        path is { Length: > 0 } ? KubeConfigLoader.LoadFiles([path]) : InClusterConfig.LoadDefault();

    private static async Task RunHostAsync(ControllerOptions options, KubeClientOptions kube, string logLevel, string bind, int port, CancellationToken ct)
    {
        // --port 0: no HTTP server at all (a web host would fall back to listening on :5000).
        if (port == 0)
        {
            var plain = Host.CreateApplicationBuilder();
            AddController(plain.Services, plain.Logging, options, kube, logLevel);
            using var host = plain.Build();
            await host.RunAsync(ct).ConfigureAwait(false);
            return;
        }
        var builder = WebApplication.CreateSlimBuilder();
        AddController(builder.Services, builder.Logging, options, kube, logLevel);
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://{(bind.Contains(':', StringComparison.Ordinal) ? $"[{bind}]" : bind)}:{port}"));
        await using var app = builder.Build();
        app.MapMetalLbEndpoints();
        await app.RunAsync(ct).ConfigureAwait(false);
    }

    private static void AddController(IServiceCollection services, ILoggingBuilder logging, ControllerOptions options, KubeClientOptions kube, string logLevel)
    {
        logging.AddMetalLbLogging(logLevel);
        services.AddMetalLbHosting();
        services.AddSingleton(options);
        services.AddSingleton(_ => new KubeClient(kube));
        services.AddSingleton(sp => new ControllerMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddHostedService<ControllerService>();
    }

    private sealed class ControllerService(KubeClient client, ControllerOptions options, ControllerMetrics metrics,
        ReadinessGate readiness, ILoggerFactory logs) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            new ControllerRuntime(client, options, metrics, readiness, logs).RunAsync(stoppingToken);
    }
}
