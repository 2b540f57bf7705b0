using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.KubeEmulator;

namespace MetalLb.Net.Kube.Tests.Wire;

/// <summary>
/// The in-repo API emulator started in-process on loopback, and our client pointed at it
/// through the kubeconfig the emulator writes (so the loader is on the path too).
/// Not TestKit's EmulatorLab: these client tests also need plain http and other tokens.
/// </summary>
internal sealed class Emulator : IAsyncDisposable
{
    public const string Token = "wire-test-token";

    private Emulator(EmulatorServer server, KubeClient client)
    {
        Server = server;
        Client = client;
    }

    public EmulatorServer Server { get; }
    public KubeClient Client { get; }
    public EmulatorFaults Faults => Server.Faults;

    /// <summary>Every request the server answered, "METHOD path?query [type] -> status", so a test can see its faults were served.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Requests { get; private init; } = new();

    public static async Task<Emulator> StartAsync(bool https = true, string? token = Token, EmulatorOptions? options = null)
    {
        options ??= new EmulatorOptions();
        var requests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var chained = options.RequestLog;
        options.RequestLog = line => { requests.Enqueue(line); chained?.Invoke(line); };
        options.UseHttps = https;
        options.BearerToken = token;
        EmulatorServer server = await EmulatorServer.StartAsync(options);
        KubeClientOptions clientOptions = KubeConfigLoader.FromYaml(server.Kubeconfig());
        return new Emulator(server, new KubeClient(clientOptions)) { Requests = requests };
    }

    public static Service Service(string name, string ns = "default", Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels },
        Spec = new ServiceSpec { Type = "LoadBalancer", Ports = [new ServicePort { Port = 80 }] },
    };

    /// <summary>
    /// Waits until a watch is not just registered but streaming: a bookmark sent now has reached
    /// the client (<paramref name="received"/> counts its watch events). Cutting a watch before
    /// its first flush trips an emulator bug (a stopped watcher stays registered and the next
    /// cut throws ObjectDisposedException), so tests cut only streaming watches.
    /// </summary>
    public async Task WatchStreamingAsync(Func<long> received)
    {
        DateTime until = DateTime.UtcNow + Eventually.DefaultDeadline;
        while (true)
        {
            long before = received();
            Server.SendBookmarks();
            DateTime round = DateTime.UtcNow + TimeSpan.FromMilliseconds(500);
            while (received() == before && DateTime.UtcNow < round)
                await Task.Delay(5);
            if (received() > before)
                return;
            if (DateTime.UtcNow > until)
                Assert.Fail("no watch started streaming");
        }
    }

    /// <summary>Creates a namespace: the server, like a real one, refuses objects in a missing namespace.</summary>
    public Task<Namespace> CreateNamespaceAsync(string name) =>
        Client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name } });

    /// <summary>Registers every metallb.io CRD from deploy/crds, as kubectl apply would.</summary>
    public Task InstallCrdsAsync() => EmulatorLab.InstallCrdsAsync(Client);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        // No catch: the emulator's stop racing a cut watch was a bug, fixed in 91cb804 and kept
        // fixed by WatchTests in KubeEmulator.Tests; if it comes back these tests must say so.
        await Server.DisposeAsync();
    }
}
