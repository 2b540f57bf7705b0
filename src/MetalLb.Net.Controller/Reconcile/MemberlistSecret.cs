using System.Security.Cryptography;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Controller.Reconcile;

/// <summary>
/// The Secret the speakers encrypt their gossip with. Upstream's controller creates it when it
/// is missing, holding 16 random bytes in base64 without padding under "secretkey" (22
/// characters, which the speakers turn into an AES key). An existing Secret is never changed:
/// rotating it would split the speakers until every one has restarted.
/// </summary>
public static class MemberlistSecret
{
    public const string Key = "secretkey";

    /// <summary>Creates the Secret unless it exists; true when this call created it.</summary>
    public static async Task<bool> EnsureAsync(ResourceClient<Secret> secrets, string ns, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        try
        {
            await secrets.GetAsync(ns, name, ct).ConfigureAwait(false);
            return false;
        }
        catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Missing: create it below.
        }
        try
        {
            await secrets.CreateAsync(new Secret
            {
                Metadata = new ObjectMeta { Name = name, Namespace = ns },
                Type = "Opaque",
                StringData = new Dictionary<string, string> { [Key] = NewKey() },
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            return false;   // another replica created it first
        }
    }

    /// <summary>16 random bytes, base64 without padding, as upstream's controller writes them.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=');
}
