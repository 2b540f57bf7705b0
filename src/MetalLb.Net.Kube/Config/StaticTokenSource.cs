namespace MetalLb.Net.Kube.Config;

/// <summary>A token that never changes (kubeconfig users[].user.token).</summary>
public sealed class StaticTokenSource(string token) : ITokenSource
{
    public string GetToken() => token;
}
