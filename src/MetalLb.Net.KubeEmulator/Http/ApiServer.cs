using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MetalLb.Net.KubeEmulator.Authorization;
using MetalLb.Net.KubeEmulator.Store;
using MetalLb.Net.KubeEmulator.Types;

namespace MetalLb.Net.KubeEmulator.Http;

/// <summary>
/// The API server behind Kestrel: authentication, RBAC, fault injection, then routing to discovery,
/// OpenAPI or a resource verb. One catch-all handler, so every unknown path answers with a
/// NotFound Status the way clients expect.
/// </summary>
internal sealed partial class ApiServer
{
    private readonly EmulatorOptions _options;
    private readonly EmulatorFaults _faults;
    private readonly Dictionary<string, JsonObject> _applied = new(StringComparer.Ordinal);

    public ApiServer(EmulatorOptions options, EmulatorFaults faults)
    {
        _options = options;
        _faults = faults;
        Store = new ObjectStore(options.HistoryLimit);
        faults.OnCutWatches(Store.CutWatches);
        foreach (var ns in (string[])["default", "kube-system", "kube-public", "kube-node-lease"])
            CreateInternal(Registry.FindByKey("namespaces")!, "v1", new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        SeedBootstrapPolicy();
    }

    public ObjectStore Store { get; }

    public ResourceRegistry Registry { get; } = new();

    public ServiceAllocator Allocator { get; } = new();

    /// <summary>host:port, for the serverAddressByClientCIDRs of /api.</summary>
    public string ServerAddress { get; set; } = "";

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    public async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            var user = Authenticate(ctx);
            ctx.Items[UserInfo.ItemKey] = user;
            var path = ctx.Request.Path.Value ?? "/";
            Authorize(user, ctx, path);
            if (path.StartsWith("/emulator/", StringComparison.Ordinal))
            {
                await HandleEmulatorEndpointAsync(ctx, path);
                return;
            }
            if (_faults.Down)
            {
                ctx.Abort();
                return;
            }
            if (_faults.Latency > TimeSpan.Zero)
                await Task.Delay(_faults.Latency, _options.TimeProvider, ctx.RequestAborted);
            if (_faults.TakeFailure(ctx.Request.Method, path) is { } code)
                throw new ApiException(code, ReasonFor(code), $"injected fault: {code}");
            await RouteAsync(ctx, path);
        }
        catch (ApiException e)
        {
            await WriteJsonAsync(ctx, e.Code, e.ToStatus());
        }
        catch (JsonException e)
        {
            await WriteJsonAsync(ctx, 400, ApiException.BadRequest($"the body of the request could not be decoded: {e.Message}").ToStatus());
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (InvalidOperationException e) when (!ctx.Response.HasStarted && e.Source == "System.Text.Json")
        {
            // A value of the wrong JSON type where the emulator needs a specific one (a number
            // for a name, a string for a flag): the real server's decoder refuses it with 400.
            await WriteJsonAsync(ctx, 400, ApiException.BadRequest($"the body of the request could not be decoded: {e.Message}").ToStatus());
        }
        catch (Exception e) when (!ctx.Response.HasStarted)
        {
            // A bug of ours: answer like the real server's panic handler, and say what broke.
            _options.RequestLog?.Invoke($"internal error: {e}");
            await WriteJsonAsync(ctx, 500, new ApiException(500, "InternalError", $"an error on the server (\"{e.Message}\") has prevented the request from succeeding").ToStatus());
        }
        _options.RequestLog?.Invoke($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString} [{ctx.Request.ContentType}] -> {ctx.Response.StatusCode}");
    }

    private async Task RouteAsync(HttpContext ctx, string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var accept = ctx.Request.Headers.Accept.ToString();
        switch (path.TrimEnd('/'))
        {
            case "/version":
                await WriteJsonAsync(ctx, 200, new JsonObject
                {
                    ["major"] = "1",
                    ["minor"] = "33",
                    ["gitVersion"] = "v1.33.0-metallb-net-emulator",
                    ["gitCommit"] = "0000000000000000000000000000000000000000",
                    ["gitTreeState"] = "clean",
                    ["buildDate"] = "2025-01-01T00:00:00Z",
                    ["goVersion"] = "go1.24.0",
                    ["compiler"] = "gc",
                    ["platform"] = "linux/amd64",
                });
                return;
            case "/healthz" or "/livez" or "/readyz":
                ctx.Response.ContentType = "text/plain";
                await ctx.Response.WriteAsync("ok");
                return;
            case "/api":
                if (Discovery.AggregatedVersion(accept) is { } coreVersion)
                    await WriteAggregatedAsync(ctx, Discovery.Aggregated(Registry, core: true, coreVersion), coreVersion);
                else
                    await WriteJsonAsync(ctx, 200, Discovery.LegacyCore(ServerAddress));
                return;
            case "/apis":
                if (Discovery.AggregatedVersion(accept) is { } groupsVersion)
                    await WriteAggregatedAsync(ctx, Discovery.Aggregated(Registry, core: false, groupsVersion), groupsVersion);
                else
                    await WriteJsonAsync(ctx, 200, Discovery.GroupList(Registry));
                return;
            case "/openapi/v3":
                await WriteJsonAsync(ctx, 200, OpenApi.Index(Registry));
                return;
        }
        if (segments.Length >= 3 && segments[0] == "openapi" && segments[1] == "v3")
        {
            var doc = segments[2] == "api" && segments.Length == 4 ? OpenApi.Document(Registry, "", segments[3])
                : segments[2] == "apis" && segments.Length == 5 ? OpenApi.Document(Registry, segments[3], segments[4]) : null;
            await WriteJsonAsync(ctx, doc is null ? 404 : 200, doc ?? NotFoundStatus());
            return;
        }
        if (segments.Length == 2 && segments[0] == "api")
        {
            await WriteDiscoveryListAsync(ctx, "", segments[1]);
            return;
        }
        if (segments.Length == 2 && segments[0] == "apis")
        {
            var versions = Registry.GroupVersions().FirstOrDefault(g => g.Group == segments[1]).Versions;
            await WriteJsonAsync(ctx, versions is null ? 404 : 200, versions is null ? NotFoundStatus() : Discovery.Group(segments[1], versions));
            return;
        }
        if (segments.Length == 3 && segments[0] == "apis")
        {
            await WriteDiscoveryListAsync(ctx, segments[1], segments[2]);
            return;
        }
        var parts = PathParser.Parse(segments) ?? throw NotFoundError();
        if (parts is { Group: "", Plural: "serviceaccounts", Subresource: "token", Namespace: { } saNamespace, Name: { } saName })
        {
            await TokenRequestAsync(ctx, saNamespace, saName);
            return;
        }
        var type = Registry.Find(parts.Group, parts.Version, parts.Plural) ?? throw NotFoundError();
        if (parts.Namespace is not null && !type.Namespaced)
            throw NotFoundError();
        if (parts.Subresource is not null && !(parts.Subresource == "status" && type.HasStatus))
            throw NotFoundError();
        var request = new ApiRequest(type, parts.Version, parts.Namespace, parts.Name, parts.Subresource, ctx);
        await DispatchAsync(request, parts.Watch);
    }

    private Task DispatchAsync(ApiRequest r, bool watchPath)
    {
        var method = r.Http.Request.Method;
        return (method, r.Name) switch
        {
            ("GET", null) when watchPath || r.QueryFlag("watch") => WatchAsync(r),
            ("GET", null) => ListAsync(r),
            ("GET", _) when watchPath => WatchAsync(r),
            ("GET", _) => GetAsync(r),
            ("POST", null) => CreateAsync(r),
            ("PUT", not null) => UpdateAsync(r),
            ("PATCH", not null) => PatchAsync(r),
            ("DELETE", not null) => DeleteAsync(r),
            ("DELETE", null) => DeleteCollectionAsync(r),
            _ => throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource"),
        };
    }

    private async Task WriteDiscoveryListAsync(HttpContext ctx, string group, string version)
    {
        if (!Registry.All.Any(t => t.Group == group && t.Versions.Contains(version)))
            throw NotFoundError();
        await WriteJsonAsync(ctx, 200, Discovery.ResourceList(Registry, group, version));
    }

    private static Task WriteAggregatedAsync(HttpContext ctx, JsonObject body, string version) =>
        WriteJsonAsync(ctx, 200, body, $"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList");

    private static ApiException NotFoundError() => ApiException.NotFound("the server could not find the requested resource");

    private static JsonObject NotFoundStatus() => NotFoundError().ToStatus();

    private static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Expired",
        422 => "Invalid",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "InternalError",
    };
}
