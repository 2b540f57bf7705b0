using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// An emulated cluster, its kubeconfig on disk, and the controller executables started against
/// it. Disposing kills every process this lab started (by PID), prints their output to the
/// test's log, stops the emulator and deletes the temp folder.
/// </summary>
internal sealed class ProcessLab : IAsyncDisposable
{
    public const string Ns = "metallb-system";

    private readonly List<ControllerProcess> _processes = [];
    private readonly ITestOutputHelper _output;

    private ProcessLab(EmulatorLab emulator, DirectoryInfo dir, ITestOutputHelper output)
    {
        Emulator = emulator;
        Folder = dir.FullName;
        Kubeconfig = emulator.WriteKubeconfig(Folder);
        _output = output;
    }

    public EmulatorLab Emulator { get; }

    public string Folder { get; }

    public string Kubeconfig { get; }

    public KubeClient Client => Emulator.Client;

    public ResourceClient<Service> Services => Client.Resource<Service>();

    /// <summary>With <paramref name="installCrds"/> false the cluster is bare, for kubectl to install.</summary>
    public static async Task<ProcessLab> StartAsync(ITestOutputHelper output, bool installCrds = true,
        Action<MetalLb.Net.KubeEmulator.EmulatorOptions>? configure = null)
    {
        var options = new MetalLb.Net.KubeEmulator.EmulatorOptions();
        configure?.Invoke(options);
        var emulator = await EmulatorLab.StartAsync(options, installCrds, installCrds ? [Ns] : []);
        return new ProcessLab(emulator, Directory.CreateTempSubdirectory("mlb-cproc-"), output);
    }

    /// <summary>
    /// Starts `metallb-net-controller` on a free loopback port with <paramref name="extra"/> flags.
    /// The webhooks are off unless <paramref name="extra"/> names --webhook-mode: a test about
    /// allocation needs no webhook objects, and several replicas would contend for 9443.
    /// </summary>
    public ControllerProcess StartController(string identity, params string[] extra)
    {
        int port = ControllerProcess.FreePort();
        string[] webhook = extra.Any(a => a.StartsWith("--webhook-mode", StringComparison.Ordinal)) ? [] : ["--webhook-mode=disabled"];
        string[] args =
        [
            "--kubeconfig", Kubeconfig, "--namespace", Ns, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--metrics-bind-address", "127.0.0.1", "--identity", identity, "--log-level", "info", .. webhook, .. extra,
        ];
        var process = ControllerProcess.Start(identity, port, args);
        _processes.Add(process);
        _output.WriteLine($"started controller {identity} pid {process.Pid} port {port}");
        return process;
    }

    public Task<IPAddressPool> CreatePoolAsync(string name, params string[] addresses) =>
        Client.Resource<IPAddressPool>().CreateAsync(new IPAddressPool
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Ns },
            Spec = new IPAddressPoolSpec { Addresses = [.. addresses] },
        });

    public Task<Service> CreateServiceAsync(string name, string ns = "default") =>
        Services.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            Spec = new ServiceSpec { Type = "LoadBalancer", Ports = [new ServicePort { Port = 80, Protocol = "TCP" }] },
        });

    public async Task<IReadOnlyList<string>> WaitForIPsAsync(string name, string ns = "default", TimeSpan? deadline = null)
    {
        IReadOnlyList<string> ips = [];
        await Eventually.True(async () => (ips = IPs(await Services.GetAsync(ns, name))).Count > 0,
            $"{ns}/{name} gets an IP", deadline);
        return ips;
    }

    public async Task<IReadOnlyList<Event>> EventsAsync(string name, string ns = "default") =>
        [.. (await Client.Resource<Event>().ListAsync(ns)).Items.Where(e => e.InvolvedObject.Name == name)];

    /// <summary>The Lease's holder, or null while there is no Lease yet.</summary>
    public async Task<string?> LeaseHolderAsync()
    {
        try
        {
            return (await Client.Resource<Lease>().GetAsync(Ns, "metallb-controller")).Spec?.HolderIdentity;
        }
        catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var p in _processes)
            {
                p.Dispose();
                _output.WriteLine($"--- {p.Name} (pid {p.Pid}) output ---\n{p.Output}");
            }
        }
        finally
        {
            await Emulator.DisposeAsync();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    /// <summary>The Service's load-balancer IPs, in status order.</summary>
    public static IReadOnlyList<string> IPs(Service s) =>
        [.. (s.Status?.LoadBalancer?.Ingress ?? []).Where(i => i.IP is not null).Select(i => i.IP!)];
}
