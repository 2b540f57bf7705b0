using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Controller.Tests;

/// <summary>
/// An emulated cluster with the CRDs and a metallb-system namespace, and controllers running
/// in this process against it, each started and stopped (a restart) at will.
/// </summary>
internal sealed class ControllerLab : IAsyncDisposable
{
    public const string Ns = "metallb-system";

    private readonly List<Running> _running = [];

    private ControllerLab(EmulatorLab emulator) => Emulator = emulator;

    public EmulatorLab Emulator { get; }

    /// <summary>Where the controllers log; null discards. Tests set it to see the writer's decisions.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? Logs { get; set; }

    public KubeClient Client => Emulator.Client;

    public ResourceClient<Service> Services => Client.Resource<Service>();

    public ResourceClient<IPAddressPool> Pools => Client.Resource<IPAddressPool>();

    public static async Task<ControllerLab> StartAsync(params string[] namespaces) =>
        new(await EmulatorLab.StartAsync(true, [Ns, .. namespaces]));

    /// <summary>A cluster where the metallb.io CRDs are not installed yet.</summary>
    public static async Task<ControllerLab> StartWithoutCrdsAsync() =>
        new(await EmulatorLab.StartAsync(false, Ns));

    /// <summary>Starts a controller; short lease timings so handovers take seconds, not 15.</summary>
    public Running StartController(ControllerOptions? options = null, string? identity = null)
    {
        options ??= new ControllerOptions();
        options = options with
        {
            Identity = identity ?? options.Identity,
            LeaseDuration = options.LeaseDuration == new ControllerOptions().LeaseDuration ? TimeSpan.FromSeconds(3) : options.LeaseDuration,
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        };
        var client = new KubeClient(MetalLb.Net.Kube.Config.KubeConfigLoader.FromYaml(Emulator.Kubeconfig));
        var runtime = new ControllerRuntime(client, options, logs: Logs);
        var cts = new CancellationTokenSource();
        var running = new Running(runtime, client, cts, Task.Run(() => runtime.RunAsync(cts.Token)));
        _running.Add(running);
        return running;
    }

    public Task<IPAddressPool> CreatePoolAsync(string name, params string[] addresses) =>
        Pools.CreateAsync(new IPAddressPool
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Ns },
            Spec = new IPAddressPoolSpec { Addresses = [.. addresses] },
        });

    public Task<Service> CreateServiceAsync(string name, string ns = "default", Action<Service>? edit = null)
    {
        var svc = new Service
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            Spec = new ServiceSpec { Type = "LoadBalancer", Ports = [new ServicePort { Port = 80, Protocol = "TCP" }] },
        };
        edit?.Invoke(svc);
        return Services.CreateAsync(svc);
    }

    public async Task<Service> GetServiceAsync(string name, string ns = "default") => await Services.GetAsync(ns, name);

    public static IReadOnlyList<string> IPs(Service s) =>
        [.. (s.Status?.LoadBalancer?.Ingress ?? []).Where(i => i.IP is not null).Select(i => i.IP!)];

    public static Condition? OurCondition(Service s) =>
        s.Status?.Conditions?.FirstOrDefault(c => c.Type == "metallb.io/IPAllocated");

    /// <summary>Waits until the Service holds exactly one or more IPs, and returns it.</summary>
    public async Task<Service> WaitForIPsAsync(string name, string ns = "default", TimeSpan? deadline = null)
    {
        Service? seen = null;
        await Eventually.True(async () => IPs(seen = await GetServiceAsync(name, ns)).Count > 0, $"{ns}/{name} gets an IP", deadline);
        return seen!;
    }

    public async Task<IReadOnlyList<Event>> EventsAsync(string name, string ns = "default") =>
        [.. (await Client.Resource<Event>().ListAsync(ns)).Items.Where(e => e.InvolvedObject.Name == name)];

    public async ValueTask DisposeAsync()
    {
        foreach (var r in _running)
            await r.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    internal sealed class Running(ControllerRuntime runtime, KubeClient client, CancellationTokenSource cts, Task task) : IAsyncDisposable
    {
        public ControllerRuntime Runtime { get; } = runtime;

        public Task Task { get; } = task;

        /// <summary>Graceful stop: pending writes land, the Lease is released.</summary>
        public async Task StopAsync()
        {
            if (cts.IsCancellationRequested)
                return;
            await cts.CancelAsync();
            await Task;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            client.Dispose();
            cts.Dispose();
        }
    }
}
