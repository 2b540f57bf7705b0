namespace MetalLb.Net.Kube.Config;

/// <summary>A kubeconfig or in-cluster setup that cannot give a usable connection, and why.</summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException() { }
    public KubeConfigException(string message) : base(message) { }
    public KubeConfigException(string message, Exception innerException) : base(message, innerException) { }
}
