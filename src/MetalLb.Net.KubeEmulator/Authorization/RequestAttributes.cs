using Microsoft.AspNetCore.Http;

namespace MetalLb.Net.KubeEmulator.Authorization;

/// <summary>
/// What a request asks to do, derived from its method and URL alone (before routing, so an
/// unknown resource is still authorized first, as on the real server): a verb on a resource
/// (group, resource, subresource, namespace, name) or a verb on a non-resource path.
/// </summary>
internal sealed record RequestAttributes(
    bool IsResourceRequest, string Verb, string Path, string Group, string Resource, string? Subresource, string? Namespace, string? Name)
{
    /// <summary>"services" or "services/status", the form RBAC rules and messages use.</summary>
    public string CombinedResource => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    /// <summary>
    /// The real server's request info rules: /api/v1 and /apis/g/v themselves are non-resource
    /// paths; /watch/ and ?watch=true make a watch; GET without a name is list; DELETE without
    /// one is deletecollection; /namespaces/{ns} sets the namespace (also for the Namespace
    /// object itself); a list or watch with fieldSelector metadata.name=x names x, so
    /// resourceNames rules can allow it.
    /// </summary>
    public static RequestAttributes From(HttpContext ctx, string path)
    {
        string method = ctx.Request.Method;
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        int at = parts.Length > 0 && parts[0] == "api" ? 2 : parts.Length > 0 && parts[0] == "apis" ? 3 : -1;
        if (at < 0 || parts.Length <= at)
            return new(false, method.ToLowerInvariant(), path, "", "", null, null, null);
        string group = parts[0] == "api" ? "" : parts[1];
        var rest = parts[at..];
        bool watch = false;
        if (rest.Length > 1 && rest[0] == "watch")
        {
            watch = true;
            rest = rest[1..];
        }
        string? ns = null;
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            ns = rest[1];
            // /namespaces/{ns}/{resource}/...; /namespaces/{ns}[/status|/finalize] is the Namespace itself.
            if (rest.Length > 2 && rest[2] is not ("status" or "finalize"))
                rest = rest[2..];
        }
        string resource = rest[0];
        string? name = rest.Length > 1 ? rest[1] : null;
        string? sub = rest.Length > 2 ? string.Join('/', rest[2..]) : null;
        var query = ctx.Request.Query;
        watch |= method == "GET" && query["watch"].ToString() is "true" or "1";
        string verb = (method, name) switch
        {
            ("GET" or "HEAD", _) when watch => "watch",
            ("GET" or "HEAD", null) => "list",
            ("GET" or "HEAD", _) => "get",
            ("POST", _) => "create",
            ("PUT", _) => "update",
            ("PATCH", _) => "patch",
            ("DELETE", null) => "deletecollection",
            ("DELETE", _) => "delete",
            _ => method.ToLowerInvariant(),
        };
        if (name is null && verb is "list" or "watch" && NameFromFieldSelector(query["fieldSelector"].ToString()) is { } selected)
            name = selected;
        return new(true, verb, path, group, resource, sub, ns, name);
    }

    private static string? NameFromFieldSelector(string selector)
    {
        foreach (string term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = term.Split("=", 2);
            if (kv.Length == 2 && kv[0].Trim() == "metadata.name")
                return kv[1].TrimStart('=').Trim();
        }
        return null;
    }
}
