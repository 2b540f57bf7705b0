using System.Net;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>Reads and writes of built-in kinds: pagination, selectors, conflicts, finalizers, Services.</summary>
public sealed class ObjectTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private RawApi _api = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { HistoryLimit = 20 });
        _api = new RawApi(_server.CreateHttpClient());
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Pagination_returns_every_object_once_across_continue_tokens()
    {
        for (int i = 0; i < 5; i++)
            await _api.CreateConfigMapAsync($"cm-{i}");
        var names = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            var page = await _api.OkAsync(_api.GetAsync($"api/v1/namespaces/default/configmaps?limit=2{(token is null ? "" : "&continue=" + Uri.EscapeDataString(token))}"));
            names.AddRange(page["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
            token = page["metadata"]!["continue"]?.GetValue<string>();
            if (pages++ == 0)
                Assert.Equal(3, page["metadata"]!["remainingItemCount"]!.GetValue<int>());
        }
        while (token is not null);
        Assert.Equal(3, pages);
        Assert.Equal(["cm-0", "cm-1", "cm-2", "cm-3", "cm-4"], names);
    }

    [Fact]
    public async Task A_continue_token_older_than_the_history_gets_410()
    {
        for (int i = 0; i < 3; i++)
            await _api.CreateConfigMapAsync($"cm-{i}");
        var page = await _api.OkAsync(_api.GetAsync("api/v1/namespaces/default/configmaps?limit=1"));
        await _api.CreateConfigMapAsync("later");
        _server.Compact();
        var (code, status) = await _api.GetAsync($"api/v1/namespaces/default/configmaps?limit=1&continue={Uri.EscapeDataString(page["metadata"]!["continue"]!.GetValue<string>())}");
        Assert.Equal(HttpStatusCode.Gone, code);
        Assert.Equal("Expired", status["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Label_and_field_selectors_filter_lists()
    {
        await _api.CreateConfigMapAsync("a", labels: new JsonObject { ["tier"] = "web" });
        await _api.CreateConfigMapAsync("b", labels: new JsonObject { ["tier"] = "db" });
        await _api.CreateConfigMapAsync("c");
        async Task<string[]> Names(string query) =>
            (await _api.OkAsync(_api.GetAsync($"api/v1/configmaps?{query}")))["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal(["a"], await Names("labelSelector=tier%3Dweb"));
        Assert.Equal(["a", "b"], await Names("labelSelector=tier%20in%20(web,db)"));
        Assert.Equal(["c"], await Names("labelSelector=!tier"));
        Assert.Equal(["b"], await Names("labelSelector=tier,tier!%3Dweb"));
        Assert.Equal(["b"], await Names("fieldSelector=metadata.name%3Db"));
        Assert.Equal(["a", "c"], await Names("fieldSelector=metadata.name!%3Db,metadata.namespace%3Ddefault"));
    }

    [Fact]
    public async Task A_write_with_a_stale_resource_version_gets_409_conflict()
    {
        var first = await _api.CreateConfigMapAsync("a");
        var stale = (JsonObject)first.DeepClone();
        first["data"] = new JsonObject { ["k"] = "1" };
        await _api.OkAsync(_api.PutAsync("api/v1/namespaces/default/configmaps/a", first));
        stale["data"] = new JsonObject { ["k"] = "2" };
        var (code, status) = await _api.PutAsync("api/v1/namespaces/default/configmaps/a", stale);
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", status["reason"]!.GetValue<string>());
        Assert.Contains("the object has been modified", status["message"]!.GetValue<string>());
        var (dup, dupStatus) = await _api.PostAsync("api/v1/namespaces/default/configmaps", stale);
        Assert.Equal(HttpStatusCode.Conflict, dup);
        Assert.Equal("AlreadyExists", dupStatus["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_finalizer_holds_a_deleted_object_until_it_is_removed()
    {
        await _api.OkAsync(_api.PostAsync("api/v1/namespaces/default/configmaps", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "held", ["finalizers"] = new JsonArray("example.com/hold") },
        }));
        using var watch = await _api.WatchAsync($"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={_server.ResourceVersion}");
        var deleting = await _api.OkAsync(_api.DeleteAsync("api/v1/namespaces/default/configmaps/held"));
        Assert.NotNull(deleting["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("api/v1/namespaces/default/configmaps/held")).Code);
        Assert.Equal("MODIFIED", (await watch.NextAsync())!["type"]!.GetValue<string>());

        await _api.OkAsync(_api.SendAsync(HttpMethod.Patch, "api/v1/namespaces/default/configmaps/held",
            JsonNode.Parse("""[{"op":"remove","path":"/metadata/finalizers"}]"""), "application/json-patch+json"));
        Assert.Equal("DELETED", (await watch.NextAsync())!["type"]!.GetValue<string>());
        var (code, status) = await _api.GetAsync("api/v1/namespaces/default/configmaps/held");
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("configmaps \"held\" not found", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_name_uid_and_creation_timestamp_are_set_by_the_server()
    {
        var created = await _api.OkAsync(_api.PostAsync("api/v1/namespaces/default/configmaps", new JsonObject
        {
            ["metadata"] = new JsonObject { ["generateName"] = "gen-" },
        }));
        Assert.Matches("^gen-[a-z0-9]{5}$", created["metadata"]!["name"]!.GetValue<string>());
        Assert.True(Guid.TryParse(created["metadata"]!["uid"]!.GetValue<string>(), out _));
        Assert.NotNull(created["metadata"]!["creationTimestamp"]);
        var (code, _) = await _api.PostAsync("api/v1/namespaces/nowhere/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } });
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task A_service_keeps_its_allocations_when_an_update_leaves_them_out_and_its_cluster_ip_is_immutable()
    {
        var svc = await _api.OkAsync(_api.PostAsync("api/v1/namespaces/default/services", JsonNode.Parse(
            """{"metadata":{"name":"s"},"spec":{"type":"LoadBalancer","ipFamilyPolicy":"PreferDualStack","ports":[{"port":80}]}}""")!));
        var spec = svc["spec"]!;
        Assert.Equal(["IPv4", "IPv6"], spec["ipFamilies"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(2, spec["clusterIPs"]!.AsArray().Count);
        var nodePort = spec["ports"]![0]!["nodePort"]!.GetValue<int>();

        var put = JsonNode.Parse("""{"metadata":{"name":"s"},"spec":{"type":"LoadBalancer","ports":[{"port":80,"protocol":"TCP"}]}}""")!;
        var updated = await _api.OkAsync(_api.PutAsync("api/v1/namespaces/default/services/s", put));
        Assert.Equal(spec["clusterIP"]!.GetValue<string>(), updated["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.Equal(nodePort, updated["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>());

        var (code, status) = await _api.MergePatchAsync("api/v1/namespaces/default/services/s", JsonNode.Parse("""{"spec":{"clusterIP":"10.96.0.99","clusterIPs":null}}""")!);
        Assert.Equal((HttpStatusCode)422, code);
        Assert.Contains(status["details"]!["causes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "spec.clusterIP");

        var (missing, missingStatus) = await _api.PostAsync("api/v1/namespaces/default/services", JsonNode.Parse("""{"metadata":{"name":"noports"},"spec":{}}""")!);
        Assert.Equal((HttpStatusCode)422, missing);
        Assert.Contains("spec.ports: Required value", missingStatus["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discovery_answers_in_legacy_and_aggregated_form()
    {
        var legacy = await _api.OkAsync(_api.GetAsync("api/v1"));
        Assert.Contains(legacy["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "services/status");
        using var request = new HttpRequestMessage(HttpMethod.Get, "apis");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        using var response = await _api.Http.SendAsync(request);
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", response.Content.Headers.ContentType!.ToString().Replace(" ", ""));
        var aggregated = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("APIGroupDiscoveryList", aggregated["kind"]!.GetValue<string>());
        Assert.Contains(aggregated["items"]!.AsArray(), g => g!["metadata"]!["name"]?.GetValue<string>() == "coordination.k8s.io");
        var version = await _api.OkAsync(_api.GetAsync("version"));
        Assert.Equal("1", version["major"]!.GetValue<string>());
    }

    [Fact]
    public async Task Server_side_apply_removes_fields_the_manager_no_longer_applies()
    {
        async Task<JsonObject> Apply(string json) => await _api.OkAsync(_api.SendAsync(HttpMethod.Patch,
            "api/v1/namespaces/default/configmaps/applied?fieldManager=test", JsonNode.Parse(json), "application/apply-patch+yaml"));
        var created = await Apply("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied","labels":{"a":"1","b":"2"}},"data":{"x":"1"}}""");
        Assert.Equal("2", created["metadata"]!["labels"]!["b"]!.GetValue<string>());
        var changed = await Apply("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied","labels":{"a":"1"}},"data":{"x":"2"}}""");
        Assert.Null(changed["metadata"]!["labels"]!["b"]);
        Assert.Equal("2", changed["data"]!["x"]!.GetValue<string>());
        var (code, _) = await _api.SendAsync(HttpMethod.Patch, "api/v1/namespaces/default/configmaps/applied",
            JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"}}"""), "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.BadRequest, code); // fieldManager is required for apply
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_what_it_holds()
    {
        await _api.OkAsync(_api.PostAsync("api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "team" } }));
        await _api.CreateConfigMapAsync("a", ns: "team");
        var ns = await _api.OkAsync(_api.GetAsync("api/v1/namespaces/team"));
        Assert.Equal("Active", ns["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("team", ns["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        await _api.OkAsync(_api.DeleteAsync("api/v1/namespaces/team"));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("api/v1/namespaces/team/configmaps/a")).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("api/v1/namespaces/team")).Code);
    }

    [Fact]
    public async Task A_dry_run_create_returns_the_defaulted_object_without_keeping_it_or_its_cluster_ip()
    {
        var body = JsonNode.Parse("""{"metadata":{"name":"dry"},"spec":{"ports":[{"port":80}]}}""")!;
        var dry = await _api.OkAsync(_api.PostAsync("api/v1/namespaces/default/services?dryRun=All", body));
        var ip = dry["spec"]!["clusterIP"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("api/v1/namespaces/default/services/dry")).Code);
        // The dry run's address is free: a Service may ask for it explicitly.
        body["spec"]!["clusterIP"] = ip;
        var real = await _api.OkAsync(_api.PostAsync("api/v1/namespaces/default/services", body));
        Assert.Equal(ip, real["spec"]!["clusterIP"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_patch_carrying_a_stale_resource_version_conflicts_and_one_without_applies()
    {
        var created = await _api.CreateConfigMapAsync("a");
        await _api.OkAsync(_api.MergePatchAsync("api/v1/namespaces/default/configmaps/a", JsonNode.Parse("""{"data":{"k":"1"}}""")!));
        var (code, _) = await _api.MergePatchAsync("api/v1/namespaces/default/configmaps/a",
            new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = RawApi.Rv(created) }, ["data"] = new JsonObject { ["k"] = "2" } });
        Assert.Equal(HttpStatusCode.Conflict, code);
    }

    [Fact]
    public async Task Changing_a_load_balancer_to_cluster_ip_gives_its_node_ports_back()
    {
        var lb = await _api.OkAsync(_api.PostAsync("api/v1/namespaces/default/services",
            JsonNode.Parse("""{"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","ports":[{"port":80}]}}""")!));
        var nodePort = lb["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>();
        var cip = await _api.OkAsync(_api.MergePatchAsync("api/v1/namespaces/default/services/lb", JsonNode.Parse("""{"spec":{"type":"ClusterIP"}}""")!));
        Assert.Null(cip["spec"]!["ports"]![0]!["nodePort"]);
        var np = await _api.OkAsync(_api.PostAsync("api/v1/namespaces/default/services",
            JsonNode.Parse($$$"""{"metadata":{"name":"np"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":{{{nodePort}}}}]}}""")!));
        Assert.Equal(nodePort, np["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>());
    }

    [Fact]
    public async Task Delete_collection_removes_only_what_the_selector_matches()
    {
        await _api.CreateConfigMapAsync("keep");
        await _api.CreateConfigMapAsync("drop-1", labels: new JsonObject { ["drop"] = "yes" });
        await _api.CreateConfigMapAsync("drop-2", labels: new JsonObject { ["drop"] = "yes" });
        var deleted = await _api.OkAsync(_api.DeleteAsync("api/v1/namespaces/default/configmaps?labelSelector=drop%3Dyes"));
        Assert.Equal(2, deleted["items"]!.AsArray().Count);
        var left = await _api.OkAsync(_api.GetAsync("api/v1/namespaces/default/configmaps"));
        Assert.Equal("keep", left["items"]!.AsArray().Single()!["metadata"]!["name"]!.GetValue<string>());
    }
}
