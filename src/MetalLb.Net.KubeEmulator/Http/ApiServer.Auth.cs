using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MetalLb.Net.KubeEmulator.Authorization;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Http;

/// <summary>
/// Authentication (the admin token or a ServiceAccount token), RBAC authorization of every
/// request, and the TokenRequest API that issues ServiceAccount tokens.
/// </summary>
internal sealed partial class ApiServer
{
    private ServiceAccountTokens? _serviceAccountTokens;

    public ServiceAccountTokens Tokens =>
        LazyInitializer.EnsureInitialized(ref _serviceAccountTokens, () => new ServiceAccountTokens(_options.TimeProvider));

    /// <summary>
    /// A ServiceAccount token names its ServiceAccount (401 once that is deleted or the token
    /// expired); otherwise the admin token is required when one is set. Without one, every
    /// request is the admin's, as before RBAC existed here.
    /// </summary>
    private UserInfo Authenticate(HttpContext ctx)
    {
        string header = ctx.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal) && Tokens.Find(header["Bearer ".Length..]) is { } issued)
        {
            var account = Store.Get("serviceaccounts", issued.Namespace, issued.Name);
            if (account is null || Meta.Str(account, "metadata", "uid") != issued.Uid)
                throw new ApiException(401, "Unauthorized", "Unauthorized");
            return UserInfo.ServiceAccount(issued.Namespace, issued.Name);
        }
        if (_options.BearerToken is { } token && header != $"Bearer {token}")
            throw new ApiException(401, "Unauthorized", "Unauthorized");
        return UserInfo.Admin;
    }

    /// <summary>403 with the real server's Status and wording unless RBAC allows the request.</summary>
    private void Authorize(UserInfo user, HttpContext ctx, string path)
    {
        if (user.IsMaster)
            return;
        var request = RequestAttributes.From(ctx, path);
        bool allowed = RbacAuthorizer.Allows(Store, user, request, out string reason);
        var denial = allowed ? null : Forbidden(user, request, reason);
        _options.AuthorizationLog?.Invoke(new AuthorizationRecord(user.Name, request.Verb, request.IsResourceRequest, request.Group,
            request.Resource, request.Subresource, request.Namespace, request.Name, path, allowed, denial?.Message ?? ""));
        if (denial is not null)
            throw denial;
    }

    private static ApiException Forbidden(UserInfo user, RequestAttributes a, string reason)
    {
        string why = a.IsResourceRequest
            ? $"User \"{user.Name}\" cannot {a.Verb} resource \"{a.CombinedResource}\" in API group \"{a.Group}\" " +
              (a.Namespace is { Length: > 0 } ns ? $"in the namespace \"{ns}\"" : "at the cluster scope")
            : $"User \"{user.Name}\" cannot {a.Verb} path \"{a.Path}\"";
        if (reason.Length > 0)
            why += ": " + reason;
        if (!a.IsResourceRequest)
            return new ApiException(403, "Forbidden", $"forbidden: {why}", new JsonObject());
        string resource = a.Group.Length == 0 ? a.Resource : $"{a.Resource}.{a.Group}";
        string message = a.Name is { Length: > 0 } name ? $"{resource} \"{name}\" is forbidden: {why}" : $"{resource} is forbidden: {why}";
        var details = new JsonObject { ["group"] = a.Group, ["kind"] = a.Resource };
        if (a.Name is { Length: > 0 })
            details["name"] = a.Name;
        return new ApiException(403, "Forbidden", message, details);
    }

    private void SeedBootstrapPolicy()
    {
        foreach (var (plural, obj) in BootstrapPolicy.Objects())
            CreateInternal(Registry.FindByKey($"rbac.authorization.k8s.io/{plural}")!, "v1", obj);
    }

    /// <summary>
    /// POST .../namespaces/{ns}/serviceaccounts/{name}/token (authentication.k8s.io/v1
    /// TokenRequest): a token for an existing ServiceAccount, expirationSeconds 3600 by default
    /// and at least 600, as the real server. A protobuf body (kubectl create token) is read as
    /// an empty spec; the answer is JSON, which kubectl accepts.
    /// </summary>
    private async Task TokenRequestAsync(HttpContext ctx, string ns, string name)
    {
        if (ctx.Request.Method != "POST")
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        var account = Store.Get("serviceaccounts", ns, name) ?? throw ApiException.NotFound(Registry.FindByKey("serviceaccounts")!, name);
        JsonObject? body = ctx.Request.ContentType?.Contains("json", StringComparison.Ordinal) == true
            ? await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted) as JsonObject
            : null;
        long seconds = Meta.At(body, "spec", "expirationSeconds")?.GetValue<long>() ?? 3600;
        if (seconds < 600)
            throw ApiException.BadRequest("spec.expirationSeconds: Invalid value: " + seconds.ToString(CultureInfo.InvariantCulture) + ": may not specify a duration less than 10 minutes");
        string[] audiences = Meta.At(body, "spec", "audiences") is JsonArray a && a.Count > 0
            ? a.Select(v => v!.GetValue<string>()).ToArray()
            : ["https://kubernetes.default.svc.cluster.local"];
        var (token, expires) = Tokens.Issue(ns, name, Meta.Str(account, "metadata", "uid")!, TimeSpan.FromSeconds(seconds), audiences);
        await WriteJsonAsync(ctx, 201, new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = null },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray(audiences.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
                ["expirationSeconds"] = seconds,
                ["boundObjectRef"] = null,
            },
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            },
        });
    }
}
