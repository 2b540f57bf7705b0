namespace MetalLb.Net.Kube.Config;

/// <summary>Supplies the bearer token for each request (it may change: projected tokens rotate).</summary>
public interface ITokenSource
{
    /// <summary>The token to send now.</summary>
    string GetToken();
}
