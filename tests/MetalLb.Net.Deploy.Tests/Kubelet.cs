using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>Starts the controller executable the way a kubelet starts the Deployment's container.</summary>
public static class Kubelet
{
    public static JsonObject Env(JsonObject workload) =>
        new((Manifest.Container(workload)["env"]?.AsArray() ?? [])
            .Select(e => KeyValuePair.Create((string)e!["name"]!, (JsonNode?)e.DeepClone())));

    /// <summary>
    /// The container's args (with <paramref name="replaceArgs"/> swapped in, for ports a shared
    /// machine may have taken) and env, fieldRefs resolved for pod <paramref name="podName"/>;
    /// the emulator's kubeconfig stands in for the service account, and it listens on loopback.
    /// </summary>
    public static ChildProcess StartController(JsonObject deployment, string kubeconfig, string podName,
        IReadOnlyDictionary<string, string>? replaceArgs = null)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(ControllerDll());
        foreach (string a in Manifest.Args(deployment))
        {
            string flag = a.Split('=')[0];
            psi.ArgumentList.Add(replaceArgs is not null && replaceArgs.TryGetValue(flag, out string? value) ? $"{flag}={value}" : a);
        }
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(kubeconfig);
        psi.ArgumentList.Add("--metrics-bind-address=127.0.0.1");
        // A pod has 9443 to itself; on a shared test machine the webhook takes a free loopback port.
        psi.ArgumentList.Add("--webhook-bind-address=127.0.0.1");
        psi.ArgumentList.Add($"--webhook-port={FreePort()}");
        foreach (string name in (string[])["KUBECONFIG", "METALLB_NAMESPACE", "POD_NAME", "METALLB_POD_NAME", "METALLB_ML_SECRET_NAME", "METALLB_DEPLOYMENT", "METALLB_BGP_TYPE"])
            psi.Environment.Remove(name);
        string ns = (string?)deployment["metadata"]?["namespace"] ?? "default";
        foreach (var (name, e) in Env(deployment))
        {
            psi.Environment[name] = (string?)e!["value"] ?? (string?)e["valueFrom"]?["fieldRef"]?["fieldPath"] switch
            {
                "metadata.name" => podName,
                "metadata.namespace" => ns,
                var other => throw new Xunit.Sdk.XunitException($"env {name}: the test does not know fieldRef {other}"),
            };
        }
        return new ChildProcess(Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string ControllerDll()
    {
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        string dll = Path.Combine(RepoPaths.Root, "src", "MetalLb.Net.Controller", "bin", configuration, "net10.0", "metallb-net-controller.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        return dll;
    }
}
