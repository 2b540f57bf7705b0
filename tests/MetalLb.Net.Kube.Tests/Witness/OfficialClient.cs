using k8s;
using MetalLb.Net.Kube.Tests.Wire;

namespace MetalLb.Net.Kube.Tests.Witness;

/// <summary>
/// KubernetesClient (the official C# client, which we do not ship) pointed at the emulator
/// through the kubeconfig the emulator writes: https, its CA, a bearer token.
/// </summary>
internal static class OfficialClient
{
    public static Kubernetes For(Emulator emulator)
    {
        using var yaml = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(emulator.Server.Kubeconfig()));
        return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(yaml));
    }
}
