using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// RBAC for ServiceAccount tokens, as kube-apiserver: a token from the TokenRequest API is user
/// system:serviceaccount:ns:name, every request is checked against the stored Roles,
/// ClusterRoles and bindings, and a denial is the real 403 Status with the real wording.
/// </summary>
public sealed class RbacTests
{
    private const string Ns = "metallb-system";
    private const string User = "system:serviceaccount:metallb-system:controller";

    [Fact]
    public async Task A_token_from_the_token_request_api_is_the_service_account_and_may_read_discovery_only()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { BearerToken = "admin" });
        using var admin = new RawApi(server.CreateHttpClient());
        await CreateAccountAsync(admin);
        var request = await admin.OkAsync(admin.PostAsync($"api/v1/namespaces/{Ns}/serviceaccounts/controller/token",
            new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenRequest", ["spec"] = new JsonObject { ["expirationSeconds"] = 3600 } }));
        Assert.Equal("TokenRequest", (string?)request["kind"]);
        string token = (string)request["status"]!["token"]!;
        Assert.Equal(3, token.Split('.').Length);
        using var sa = Client(server, token);

        // The bootstrap system:discovery role, bound to system:authenticated.
        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync("version")).Code);
        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync("apis")).Code);
        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync("openapi/v3")).Code);

        var (code, status) = await sa.GetAsync("api/v1/services");
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("Forbidden", (string?)status["reason"]);
        Assert.Equal($"services is forbidden: User \"{User}\" cannot list resource \"services\" in API group \"\" at the cluster scope", (string?)status["message"]);
        Assert.Equal("services", (string?)status["details"]!["kind"]);

        (code, status) = await sa.SendAsync(HttpMethod.Post, "emulator/compact");
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal($"forbidden: User \"{User}\" cannot post path \"/emulator/compact\"", (string?)status["message"]);

        // A token for another account, or one whose account is gone, authenticates nobody.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"api/v1/namespaces/{Ns}/serviceaccounts/nobody/token", new JsonObject())).Code);
        await admin.OkAsync(admin.DeleteAsync($"api/v1/namespaces/{Ns}/serviceaccounts/controller"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await sa.GetAsync("version")).Code);
    }

    [Fact]
    public async Task Cluster_roles_grant_verbs_on_resources_and_subresources_only_as_written()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { BearerToken = "admin" });
        using var admin = new RawApi(server.CreateHttpClient());
        await CreateAccountAsync(admin);
        await admin.OkAsync(admin.PostAsync("api/v1/namespaces/default/services", Service("web")));
        using var sa = Client(server, server.CreateServiceAccountToken(Ns, "controller"));
        await GrantAsync(admin, "ClusterRole", null, Rule(["services"], "list", "watch"), Rule(["services/status"], "patch"));
        await BindAsync(admin, "ClusterRoleBinding", null, "ClusterRole", new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "controller", ["namespace"] = Ns });

        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync("api/v1/services")).Code);
        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync("api/v1/namespaces/default/services")).Code);
        using (var watch = await sa.Http.GetAsync("api/v1/services?watch=true", HttpCompletionOption.ResponseHeadersRead))
            Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sa.SendAsync(HttpMethod.Patch, "api/v1/namespaces/default/services/web/status",
            new JsonObject { ["status"] = new JsonObject() }, "application/merge-patch+json")).Code);

        // "services" does not cover services/status, nor get, nor another verb on the same object.
        var (code, status) = await sa.GetAsync("api/v1/namespaces/default/services/web");
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal($"services \"web\" is forbidden: User \"{User}\" cannot get resource \"services\" in API group \"\" in the namespace \"default\"", (string?)status["message"]);
        (code, status) = await sa.MergePatchAsync("api/v1/namespaces/default/services/web", new JsonObject());
        Assert.Equal($"services \"web\" is forbidden: User \"{User}\" cannot patch resource \"services\" in API group \"\" in the namespace \"default\"", (string?)status["message"]);
        (code, status) = await sa.SendAsync(HttpMethod.Put, "api/v1/namespaces/default/services/web/status", Service("web"));
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Contains("cannot update resource \"services/status\"", (string?)status["message"], StringComparison.Ordinal);
        (code, status) = await sa.SendAsync(HttpMethod.Delete, "api/v1/namespaces/default/services");
        Assert.Contains("cannot deletecollection resource \"services\"", (string?)status["message"], StringComparison.Ordinal);
        // Another API group is another resource, even with the same plural.
        (code, status) = await sa.GetAsync("apis/coordination.k8s.io/v1/namespaces/default/leases");
        Assert.Equal("leases.coordination.k8s.io is forbidden: User \"" + User + "\" cannot list resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"default\"", (string?)status["message"]);
        Assert.Equal("coordination.k8s.io", (string?)status["details"]!["group"]);
    }

    [Fact]
    public async Task A_role_grants_only_in_its_namespace_and_resource_names_narrow_it_to_named_objects()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { BearerToken = "admin" });
        using var admin = new RawApi(server.CreateHttpClient());
        await CreateAccountAsync(admin);
        await admin.CreateConfigMapAsync("mine", Ns);
        await admin.CreateConfigMapAsync("other", Ns);
        await admin.CreateConfigMapAsync("mine", "default");
        using var sa = Client(server, server.CreateServiceAccountToken(Ns, "controller"));
        var named = Rule(["configmaps"], "get", "list", "watch", "update", "create");
        named["resourceNames"] = new JsonArray("mine");
        await GrantAsync(admin, "Role", Ns, named);
        // A group subject: every ServiceAccount of the namespace.
        await BindAsync(admin, "RoleBinding", Ns, "Role", new JsonObject { ["kind"] = "Group", ["name"] = $"system:serviceaccounts:{Ns}", ["apiGroup"] = "rbac.authorization.k8s.io" });

        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync($"api/v1/namespaces/{Ns}/configmaps/mine")).Code);
        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync($"api/v1/namespaces/{Ns}/configmaps?fieldSelector=metadata.name%3Dmine")).Code);
        Assert.Equal(HttpStatusCode.Forbidden, (await sa.GetAsync($"api/v1/namespaces/{Ns}/configmaps/other")).Code);
        Assert.Equal(HttpStatusCode.Forbidden, (await sa.GetAsync($"api/v1/namespaces/{Ns}/configmaps")).Code);
        // create carries no name in its URL, so a rule with resourceNames never allows it.
        Assert.Equal(HttpStatusCode.Forbidden, (await sa.PostAsync($"api/v1/namespaces/{Ns}/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "mine2" } })).Code);
        var (code, status) = await sa.GetAsync("api/v1/namespaces/default/configmaps/mine");
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal($"configmaps \"mine\" is forbidden: User \"{User}\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"default\"", (string?)status["message"]);
    }

    [Fact]
    public async Task A_binding_to_a_missing_role_is_the_reason_of_the_denial()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { BearerToken = "admin" });
        using var admin = new RawApi(server.CreateHttpClient());
        await CreateAccountAsync(admin);
        await BindAsync(admin, "RoleBinding", Ns, "Role", new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "controller" });
        using var sa = Client(server, server.CreateServiceAccountToken(Ns, "controller"));
        var (code, status) = await sa.GetAsync($"api/v1/namespaces/{Ns}/pods");
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal($"pods is forbidden: User \"{User}\" cannot list resource \"pods\" in API group \"\" in the namespace \"{Ns}\": RBAC: role.rbac.authorization.k8s.io \"granted\" not found", (string?)status["message"]);

        // The same binding works once its role exists; without a subject namespace it means the binding's own.
        await GrantAsync(admin, "Role", Ns, Rule(["pods"], "list"));
        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync($"api/v1/namespaces/{Ns}/pods")).Code);
    }

    [Fact]
    public async Task The_admin_token_is_not_subject_to_rbac()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { BearerToken = "admin" });
        using var admin = new RawApi(server.CreateHttpClient());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("api/v1/services")).Code);
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(HttpMethod.Post, "emulator/bookmarks")).Code);
        var roles = await admin.OkAsync(admin.GetAsync("apis/rbac.authorization.k8s.io/v1/clusterroles"));
        Assert.Contains("system:discovery", roles["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]));
    }

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task Kubectl_creates_a_token_and_prints_the_servers_forbidden_message(string flavor)
    {
        var binary = KubectlBinary.Require(flavor);
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { UseHttps = true, BearerToken = "admin" });
        using var admin = new RawApi(server.CreateHttpClient());
        await CreateAccountAsync(admin);
        await admin.OkAsync(admin.PostAsync("api/v1/namespaces/default/services", Service("web")));
        using var kubectl = new KubectlSession(binary, server);
        string token = (await kubectl.OkAsync("create", "token", "controller", "-n", Ns)).Trim();

        var denied = await kubectl.RunAsync("--token", token, "get", "services", "-A");
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains($"Error from server (Forbidden): services is forbidden: User \"{User}\" cannot list resource \"services\" in API group \"\" at the cluster scope", denied.Stderr, StringComparison.Ordinal);

        await GrantAsync(admin, "ClusterRole", null, Rule(["services"], "list"));
        await BindAsync(admin, "ClusterRoleBinding", null, "ClusterRole", new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "controller", ["namespace"] = Ns });
        Assert.Contains("web", await kubectl.OkAsync("--token", token, "get", "services", "-A"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_is_told_the_service_account_that_made_the_request()
    {
        await using var webhook = await WebhookTestServer.StartAsync(AdmissionFixture.ServiceHost);
        webhook.On("/validate", review => WebhookTestServer.Answer(review, allowed: true));
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { BearerToken = "admin" });
        using var admin = new RawApi(server.CreateHttpClient());
        string[] objects = AdmissionFixture.ServiceYaml(webhook.Port).Split("\n---\n");
        string[] paths =
        [
            "api/v1/namespaces",
            $"api/v1/namespaces/{AdmissionFixture.Namespace}/services",
            $"apis/discovery.k8s.io/v1/namespaces/{AdmissionFixture.Namespace}/endpointslices",
        ];
        for (int i = 0; i < paths.Length; i++)
            await admin.OkAsync(admin.PostAsync(paths[i], JsonNode.Parse(YamlJson.Convert(objects[i]))!));
        await admin.OkAsync(admin.PostAsync("apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
            JsonNode.Parse(YamlJson.Convert(AdmissionFixture.ConfigMapWebhook(webhook.CaBundle)))!));
        await CreateAccountAsync(admin);
        await GrantAsync(admin, "ClusterRole", null, Rule(["configmaps"], "create"));
        await BindAsync(admin, "ClusterRoleBinding", null, "ClusterRole", new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "controller", ["namespace"] = Ns });
        using var sa = Client(server, server.CreateServiceAccountToken(Ns, "controller"));

        await sa.OkAsync(sa.PostAsync("api/v1/namespaces/default/configmaps",
            JsonNode.Parse(YamlJson.Convert(AdmissionFixture.ConfigMap("by-controller", "allow")))!));

        // AdmissionReview's userInfo is who authenticated, not the emulator's admin.
        var request = webhook.Received.Single(r => (string?)r.Body["request"]!["name"] == "by-controller").Body["request"]!;
        Assert.Equal(User, (string?)request["userInfo"]!["username"]);
        Assert.Equal(["system:serviceaccounts", $"system:serviceaccounts:{Ns}", "system:authenticated"],
            request["userInfo"]!["groups"]!.AsArray().Select(g => (string?)g));
    }

    private static RawApi Client(EmulatorServer server, string token)
    {
        var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new RawApi(http);
    }

    private static async Task CreateAccountAsync(RawApi admin)
    {
        await admin.OkAsync(admin.PostAsync("api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = Ns } }));
        await admin.OkAsync(admin.PostAsync($"api/v1/namespaces/{Ns}/serviceaccounts", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "controller" } }));
    }

    private static JsonObject Rule(string[] resources, params string[] verbs) => new()
    {
        ["apiGroups"] = new JsonArray(""),
        ["resources"] = new JsonArray(resources.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
        ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
    };

    private static Task GrantAsync(RawApi admin, string kind, string? ns, params JsonObject[] rules) =>
        admin.OkAsync(admin.PostAsync(RbacPath(kind, ns), new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = "granted" },
            ["rules"] = new JsonArray(rules.Cast<JsonNode>().ToArray()),
        }));

    private static Task BindAsync(RawApi admin, string kind, string? ns, string roleKind, JsonObject subject) =>
        admin.OkAsync(admin.PostAsync(RbacPath(kind, ns), new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = "granted" },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = roleKind, ["name"] = "granted" },
            ["subjects"] = new JsonArray(subject),
        }));

    private static string RbacPath(string kind, string? ns) =>
        $"apis/rbac.authorization.k8s.io/v1/{(ns is null ? "" : $"namespaces/{ns}/")}{kind.ToLowerInvariant()}s";

    private static JsonObject Service(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
    };
}
