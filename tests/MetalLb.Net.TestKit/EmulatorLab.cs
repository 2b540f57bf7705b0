using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.KubeEmulator;

namespace MetalLb.Net.TestKit;

/// <summary>
/// The in-repo API emulator on loopback over https with a token, our metallb.io CRDs
/// installed from deploy/crds, and a client configured through the kubeconfig it writes.
/// </summary>
public sealed class EmulatorLab : IAsyncDisposable
{
    public const string Token = "lab-token";

    private EmulatorLab(EmulatorServer server, KubeClient client)
    {
        Server = server;
        Client = client;
    }

    public EmulatorServer Server { get; }

    public KubeClient Client { get; }

    public EmulatorFaults Faults => Server.Faults;

    public string Kubeconfig => Server.Kubeconfig();

    public static Task<EmulatorLab> StartAsync(bool installCrds = true, params string[] namespaces) =>
        StartAsync(new EmulatorOptions(), installCrds, namespaces);

    /// <summary>
    /// As above with the caller's options (a request log, a longer history); https and the
    /// token are always on, so clients see what they would from a real API server.
    /// </summary>
    public static async Task<EmulatorLab> StartAsync(EmulatorOptions options, bool installCrds, params string[] namespaces)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseHttps = true;
        options.BearerToken = Token;
        var server = await EmulatorServer.StartAsync(options);
        var lab = new EmulatorLab(server, new KubeClient(KubeConfigLoader.FromYaml(server.Kubeconfig())));
        if (installCrds)
            await lab.InstallCrdsAsync();
        foreach (string ns in namespaces)
            await lab.Client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = ns } });
        return lab;
    }

    /// <summary>Registers every CRD in deploy/crds, as kubectl apply would.</summary>
    public Task InstallCrdsAsync() => InstallCrdsAsync(Client);

    /// <summary>Registers every CRD in deploy/crds through <paramref name="client"/>, for a server started another way.</summary>
    public static async Task InstallCrdsAsync(KubeClient client)
    {
        var crds = client.Generic(new ResourceInfo("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false));
        foreach (string file in Directory.GetFiles(RepoPaths.Crds, "*.yaml").Order(StringComparer.Ordinal))
            await crds.CreateAsync(GenericObject.Parse(YamlJson.Convert(await File.ReadAllTextAsync(file))));
    }

    /// <summary>Writes the kubeconfig to a file (for a child process or kubectl) and returns its path.</summary>
    public string WriteKubeconfig(string directory)
    {
        string path = Path.Combine(directory, "kubeconfig");
        Server.WriteKubeconfig(path);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Faults.Clear();
        // Let the server see every watch go before stopping it.
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (Server.OpenWatches > 0 && DateTime.UtcNow < until)
            await Task.Delay(10);
        await Server.DisposeAsync();
    }
}
