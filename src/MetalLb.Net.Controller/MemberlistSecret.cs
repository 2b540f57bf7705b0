using System.Net;
using System.Security.Cryptography;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Rest;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Controller;

/// <summary>
/// The memberlist Secret the speakers mount (key "secretkey"): created once by the controller
/// when missing, as upstream's controller does, so every speaker of the cluster shares one key
/// that no manifest carries. Owned by the controller's Deployment when --deployment names it, so
/// uninstalling removes it; an existing Secret is never touched (rotating it is the user's call).
/// </summary>
internal sealed partial class MemberlistSecret(KubeClient client, ControllerOptions options, ILogger logger)
{
    public const string Key = "secretkey";

    private static readonly ResourceInfo Deployments = new("apps", "v1", "deployments", "Deployment", true);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>Retries until the Secret exists or <paramref name="ct"/> ends: the speakers cannot start without it.</summary>
    public async Task EnsureAsync(string name, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await CreateIfMissingAsync(name, ct).ConfigureAwait(false);
                return;
            }
            catch (KubeApiException e) when (!ct.IsCancellationRequested)
            {
                LogFailed(name, options.Namespace, e.Message);
                await Task.Delay(RetryDelay, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task CreateIfMissingAsync(string name, CancellationToken ct)
    {
        var secrets = client.Resource<Secret>();
        // A list by name tells "absent" from "not allowed to read", which a 404 from GET would not.
        var found = await secrets.ListAsync(options.Namespace, new ListOptions { FieldSelector = $"metadata.name={name}" }, ct).ConfigureAwait(false);
        if (found.Items.Count > 0)
            return;
        var secret = new Secret
        {
            Metadata = new ObjectMeta { Name = name, Namespace = options.Namespace, OwnerReferences = await OwnerAsync(ct).ConfigureAwait(false) },
            // 128 random bits as unpadded base64 text, the form upstream's speakers read.
            Data = new Dictionary<string, string>
            {
                [Key] = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('='))),
            },
        };
        try
        {
            await secrets.CreateAsync(secret, ct).ConfigureAwait(false);
            LogCreated(name, options.Namespace);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Another replica created it first: the same outcome.
        }
    }

    private async Task<List<OwnerReference>?> OwnerAsync(CancellationToken ct)
    {
        if (options.DeploymentName is not { } deployment)
            return null;
        var d = await client.Generic(Deployments).GetAsync(options.Namespace, deployment, ct).ConfigureAwait(false);
        return [new OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = deployment, Uid = d.Metadata.Uid ?? "" }];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "created the memberlist Secret {Namespace}/{Name}")]
    private partial void LogCreated(string name, string @namespace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot create the memberlist Secret {Namespace}/{Name} yet: {Reason}")]
    private partial void LogFailed(string name, string @namespace, string reason);
}
