using System.Text;
using System.Text.Json.Nodes;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>
/// What the controller and the speaker do for a user, in stages that between them use every
/// permission the chart grants: elect a leader, create the memberlist Secret, allocate from an
/// L2 pool and a BGP pool, report pool status and ConfigurationStates, write events (and fold a
/// repeat into the same event), announce (ServiceL2Status, ServiceBGPStatus), withdraw (delete
/// them) and announce again. Each stage is an action and the effect a user would see.
/// </summary>
public sealed class RbacScenario(RbacLab lab)
{
    public const string ControllerPod = "metallb-net-controller-5d8f9-rbac1";
    public const string SpeakerPod = "metallb-net-speaker-rbac1";
    private const string Ns = Helm.Namespace;
    private const string MetalLb = "apis/metallb.io/v1beta1/namespaces/" + Ns;

    public sealed record Stage(string Effect, Func<Task>? Action, Func<Task<bool>> Done);

    /// <summary>Stages whose effect did not show within their deadline (only when not strict).</summary>
    public List<string> Missing { get; } = [];

    /// <summary>The configuration and workload objects, written by the admin before any program starts.</summary>
    public async Task SetUpAsync()
    {
        var a = lab.Admin;
        await a.CreateAsync($"{MetalLb}/ipaddresspools", Cr("IPAddressPool", "l2pool", new JsonObject { ["addresses"] = new JsonArray("192.0.2.100-192.0.2.109") }));
        await a.CreateAsync($"{MetalLb}/ipaddresspools", Cr("IPAddressPool", "bgppool", new JsonObject { ["addresses"] = new JsonArray("203.0.113.0/28") }));
        await a.CreateAsync($"{MetalLb}/l2advertisements", Cr("L2Advertisement", "l2", new JsonObject { ["ipAddressPools"] = new JsonArray("l2pool") }));
        await a.CreateAsync($"{MetalLb}/communities", Cr("Community", "communities", new JsonObject
        {
            ["communities"] = new JsonArray(new JsonObject { ["name"] = "no-export", ["value"] = "65535:65281" }),
        }, "v1beta1"));
        await a.CreateAsync($"{MetalLb}/bgpadvertisements", Cr("BGPAdvertisement", "bgp", new JsonObject
        {
            ["ipAddressPools"] = new JsonArray("bgppool"),
            ["communities"] = new JsonArray("no-export"),
        }));
        await a.CreateAsync($"{MetalLb}/bfdprofiles", Cr("BFDProfile", "fast", new JsonObject { ["receiveInterval"] = 300 }));
        // A BGP peer nobody answers for (no router on the LAN): the speaker plans routes for it all the same.
        await a.CreateAsync($"api/v1/namespaces/{Ns}/secrets", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "bgp-auth" },
            ["type"] = "kubernetes.io/basic-auth",
            ["stringData"] = new JsonObject { ["password"] = "rbac-test" },
        });
        await a.CreateAsync("apis/metallb.io/v1beta2/namespaces/" + Ns + "/bgppeers", new JsonObject
        {
            ["apiVersion"] = "metallb.io/v1beta2",
            ["kind"] = "BGPPeer",
            ["metadata"] = new JsonObject { ["name"] = "router" },
            ["spec"] = new JsonObject
            {
                ["myASN"] = 64512,
                ["peerASN"] = 64513,
                ["peerAddress"] = "192.0.2.1",
                ["passwordSecret"] = new JsonObject { ["name"] = "bgp-auth", ["namespace"] = Ns },
            },
        });
        await a.CreateAsync("api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "shop" } });
        foreach (var (name, pool) in new[] { ("l2", "l2pool"), ("bgp", "bgppool") })
        {
            await a.CreateAsync("api/v1/namespaces/shop/services", Service(name, new JsonObject { ["metallb.io/address-pool"] = pool }));
            await a.CreateAsync("apis/discovery.k8s.io/v1/namespaces/shop/endpointslices", Slice(name, ready: true));
        }
        // Asks for an address no pool has: AllocationFailed, repeated on every spec change.
        await a.CreateAsync("api/v1/namespaces/shop/services", Service("broken", new JsonObject { ["metallb.io/loadBalancerIPs"] = "198.51.100.77" }));
    }

    public IEnumerable<Stage> ControllerStages()
    {
        var a = lab.Admin;
        string? leaseVersion = null;
        yield return new("the controller holds the Lease", null, async () =>
        {
            var lease = await a.GetAsync($"apis/coordination.k8s.io/v1/namespaces/{Ns}/leases/metallb-controller");
            leaseVersion = (string?)lease?["metadata"]?["resourceVersion"];
            return (string?)lease?["spec"]?["holderIdentity"] == ControllerPod;
        });
        yield return new("the memberlist Secret exists, owned by the Deployment", null, async () =>
            (await MemberlistSecretAsync())?["metadata"]?["ownerReferences"]?[0]?["kind"]?.GetValue<string>() == "Deployment");
        yield return new("shop/l2 gets 192.0.2.100 and shop/bgp an address of bgppool, with the pool annotation", null, async () =>
            await IngressAsync("l2") == "192.0.2.100" && (await IngressAsync("bgp"))?.StartsWith("203.0.113.", StringComparison.Ordinal) == true
            && (string?)(await a.GetAsync("api/v1/namespaces/shop/services/l2"))?["metadata"]?["annotations"]?["metallb.io/ip-allocated-from-pool"] == "l2pool");
        yield return new("IPAddressPool l2pool's status counts one assigned IPv4", null, async () =>
            (int?)(await a.GetAsync($"{MetalLb}/ipaddresspools/l2pool"))?["status"]?["assignedIPv4"] == 1);
        yield return new("ConfigurationState controller is Valid", null, async () =>
            (string?)(await a.GetAsync($"{MetalLb}/configurationstates/controller"))?["status"]?["result"] == "Valid");
        yield return new("events IPAllocated on shop/l2 and AllocationFailed on shop/broken", null, async () =>
            await EventCountAsync("l2", "IPAllocated") >= 1 && await EventCountAsync("broken", "AllocationFailed") >= 1);
        yield return new("a spec change repeats AllocationFailed as the same event, count 2",
            () => a.MergePatchAsync("api/v1/namespaces/shop/services/broken", new JsonObject
            {
                ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080 }) },
            }),
            async () => await EventCountAsync("broken", "AllocationFailed") >= 2);
        foreach (var stage in WebhookStages())
            yield return stage;
        yield return new("the leader renews its Lease", null, async () =>
            (string?)(await a.GetAsync($"apis/coordination.k8s.io/v1/namespaces/{Ns}/leases/metallb-controller"))?["metadata"]?["resourceVersion"] != leaseVersion);
    }

    /// <summary>
    /// The webhook path, end to end through the emulator (nothing when the chart renders no
    /// webhooks): the controller fills the chart's empty certificate Secret, injects the CA into
    /// the ValidatingWebhookConfiguration and the BGPPeer CRD's conversion, and the emulator
    /// calls it over TLS with that CA: an overlapping pool is refused in the webhook's words, a
    /// BGPPeer stored as v1beta2 reads as v1beta1 through the conversion webhook. Then rotation:
    /// the serving certificate is renewed before it expires, and a Secret someone deleted is
    /// created again with a new CA, which is injected before the webhook serves with it.
    /// </summary>
    public IEnumerable<Stage> WebhookStages()
    {
        if (!lab.WebhooksEnabled)
            yield break;
        string? firstServing = null;
        yield return new($"the webhook Secret {WebhookSecret} holds a CA bundle and a serving certificate", null, async () =>
        {
            var data = (await WebhookSecretAsync())?["data"];
            firstServing = (string?)data?["tls.crt"];
            return firstServing is not null && data?["ca.crt"] is not null && data["tls.key"] is not null;
        });
        yield return new("its CA is injected into every webhook of metallb-webhook-configuration and into the BGPPeer CRD's conversion", null,
            async () => await CaInjectedAsync());
        yield return new("the webhook refuses an overlapping IPAddressPool in its own words (a server-side dry run)", null,
            async () => await OverlapRefusedAsync());
        yield return new("a v1beta1 read of BGPPeer router is converted by the controller's conversion webhook", null, async () =>
        {
            var (code, peer) = await lab.Admin.TrySendAsync(HttpMethod.Get, $"apis/metallb.io/v1beta1/namespaces/{Ns}/bgppeers/router");
            return code == System.Net.HttpStatusCode.OK && (string?)peer?["apiVersion"] == "metallb.io/v1beta1" && (int?)peer?["spec"]?["peerASN"] == 64513;
        });
        yield return new($"rotation: the serving certificate is renewed before it expires ({RbacLab.CertValiditySeconds} s validity) and the webhook still answers with it", null,
            async () => (string?)(await WebhookSecretAsync())?["data"]?["tls.crt"] is { } now && now != firstServing && await OverlapRefusedAsync());
        string? caBefore = null;
        yield return new($"the Secret {WebhookSecret} deleted: the controller creates it again with a new CA, injects that CA and the webhook answers",
            async () =>
            {
                caBefore = (string?)(await WebhookSecretAsync())?["data"]?["ca.crt"];
                await lab.Admin.DeleteAsync($"api/v1/namespaces/{Ns}/secrets/{WebhookSecret}");
            },
            async () => (string?)(await WebhookSecretAsync())?["data"]?["ca.crt"] is { } ca && ca != caBefore
                && await CaInjectedAsync() && await OverlapRefusedAsync());
    }

    private const string WebhookSecret = "metallb-webhook-cert";

    private async Task<JsonObject?> WebhookSecretAsync() => await lab.Admin.GetAsync($"api/v1/namespaces/{Ns}/secrets/{WebhookSecret}");

    /// <summary>Every CA of the Secret's ca.crt is in every webhook's caBundle and in the BGPPeer CRD's.</summary>
    private async Task<bool> CaInjectedAsync()
    {
        if ((string?)(await WebhookSecretAsync())?["data"]?["ca.crt"] is not { } ca)
            return false;
        var wanted = Thumbprints(Convert.FromBase64String(ca));
        var configuration = await lab.Admin.GetAsync("apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/metallb-webhook-configuration");
        var crd = await lab.Admin.GetAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions/bgppeers.metallb.io");
        var bundles = (configuration?["webhooks"]?.AsArray() ?? []).Select(w => (string?)w?["clientConfig"]?["caBundle"])
            .Append((string?)crd?["spec"]?["conversion"]?["webhook"]?["clientConfig"]?["caBundle"]).ToList();
        return bundles.Count == 7 && bundles.All(b => b is not null && wanted.IsSubsetOf(Thumbprints(Convert.FromBase64String(b))));
    }

    private static HashSet<string> Thumbprints(byte[] pem)
    {
        var certs = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        certs.ImportFromPem(Encoding.ASCII.GetString(pem));
        return [.. certs.Select(c => c.Thumbprint)];
    }

    /// <summary>
    /// A dry-run create of a pool overlapping l2pool (the emulator calls the webhooks for dry
    /// runs as kube-apiserver does; nothing is stored either way) is refused by the webhook.
    /// </summary>
    private async Task<bool> OverlapRefusedAsync()
    {
        var (code, status) = await lab.Admin.TrySendAsync(HttpMethod.Post, $"{MetalLb}/ipaddresspools?dryRun=All",
            Cr("IPAddressPool", "overlap", new JsonObject { ["addresses"] = new JsonArray("192.0.2.96/28") }));
        string message = (string?)status?["message"] ?? "";
        return code == System.Net.HttpStatusCode.Forbidden
            && message.Contains("admission webhook \"ipaddresspoolvalidationwebhook.metallb.io\" denied the request", StringComparison.Ordinal)
            && message.Contains("overlaps with already defined CIDR", StringComparison.Ordinal);
    }

    public IEnumerable<Stage> SpeakerStages()
    {
        var a = lab.Admin;
        yield return new($"a ServiceL2Status says {RbacLab.NodeName} announces shop/l2", null, async () => await L2StatusAsync() is not null);
        yield return new("a ServiceBGPStatus for shop/bgp lists the peer", null, async () =>
            (await a.ListAsync($"{MetalLb}/servicebgpstatuses")).Any(s => (string?)s["status"]?["serviceName"] == "bgp" && s["status"]?["peers"]?.AsArray().Count > 0));
        yield return new($"ConfigurationState speaker-{RbacLab.NodeName} is Valid", null, async () =>
            (string?)(await a.GetAsync($"{MetalLb}/configurationstates/speaker-{RbacLab.NodeName}"))?["status"]?["result"] == "Valid");
        yield return new("event nodeAssigned on shop/l2", null, async () => await EventCountAsync("l2", "nodeAssigned") >= 1);
        yield return new("shop/l2 without ready endpoints: its ServiceL2Status is deleted",
            () => a.MergePatchAsync("apis/discovery.k8s.io/v1/namespaces/shop/endpointslices/l2-rbac", Slice("l2", ready: false)),
            async () => await L2StatusAsync() is null);
        yield return new("ready again: announced again, nodeAssigned folded into the same event (count 2)",
            () => a.MergePatchAsync("apis/discovery.k8s.io/v1/namespaces/shop/endpointslices/l2-rbac", Slice("l2", ready: true)),
            async () => await L2StatusAsync() is not null && await EventCountAsync("l2", "nodeAssigned") >= 2);
        yield return new("shop/bgp deleted: its ServiceBGPStatus is deleted",
            () => a.DeleteAsync("api/v1/namespaces/shop/services/bgp"),
            async () => !(await a.ListAsync($"{MetalLb}/servicebgpstatuses")).Any());
    }

    /// <summary>
    /// Runs <paramref name="stages"/> in order. Strict: each effect must show within the deadline
    /// (the test fails with the programs' logs). Otherwise a missing effect is noted in
    /// <see cref="Missing"/> and the next stage runs; <paramref name="stop"/> ends early.
    /// </summary>
    public async Task RunAsync(IEnumerable<Stage> stages, bool strict, TimeSpan deadline, Func<bool>? stop = null)
    {
        foreach (var stage in stages)
        {
            if (stop?.Invoke() == true)
                return;
            if (stage.Action is not null)
                await stage.Action();
            DateTime until = DateTime.UtcNow + deadline;
            bool done;
            while (!(done = await stage.Done()) && DateTime.UtcNow < until && stop?.Invoke() != true)
            {
                if (new[] { lab.Controller, lab.Speaker }.FirstOrDefault(p => p is { IsRunning: false }) is { } exited)
                {
                    Assert.False(strict, $"{exited.Name} exited ({exited.ExitCode}) during \"{stage.Effect}\":\n{lab.Describe()}");
                    Missing.Add($"{exited.Name} exited ({exited.ExitCode}) during \"{stage.Effect}\"");
                    return;
                }
                await Task.Delay(100);
            }
            if (!done && strict)
                Assert.Fail($"timed out after {deadline.TotalSeconds:0} s waiting for: {stage.Effect}\n{lab.Describe()}");
            if (!done && stop?.Invoke() != true)
                Missing.Add(stage.Effect);
        }
    }

    /// <summary>The controller's memberlist Secret, or null.</summary>
    public async Task<JsonObject?> MemberlistSecretAsync() =>
        await lab.Admin.GetAsync($"api/v1/namespaces/{Ns}/secrets/{(string)Kubelet.Env(lab.Deployment)["METALLB_ML_SECRET_NAME"]!["value"]!}");

    /// <summary>The memberlist key as the Secret volume mounts it, written to a file for the speaker.</summary>
    public async Task<string> WriteKeyFileAsync()
    {
        string b64 = (string)(await MemberlistSecretAsync())!["data"]!["secretkey"]!;
        string path = Path.Combine(lab.Dir, "secretkey");
        await File.WriteAllTextAsync(path, Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
        return path;
    }

    private async Task<string?> IngressAsync(string service) =>
        (string?)(await lab.Admin.GetAsync($"api/v1/namespaces/shop/services/{service}"))?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"];

    private async Task<JsonObject?> L2StatusAsync() =>
        (await lab.Admin.ListAsync($"{MetalLb}/servicel2statuses"))
            .FirstOrDefault(s => (string?)s["status"]?["serviceName"] == "l2" && (string?)s["status"]?["node"] == RbacLab.NodeName);

    private async Task<int> EventCountAsync(string service, string reason) =>
        (await lab.Admin.ListAsync("api/v1/namespaces/shop/events"))
            .Where(e => (string?)e["involvedObject"]?["name"] == service && (string?)e["reason"] == reason)
            .Sum(e => (int?)e["count"] ?? 1);

    private static JsonObject Cr(string kind, string name, JsonObject spec, string version = "v1beta1") => new()
    {
        ["apiVersion"] = $"metallb.io/{version}",
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec,
    };

    private static JsonObject Service(string name, JsonObject annotations) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["annotations"] = annotations },
        ["spec"] = new JsonObject
        {
            ["type"] = "LoadBalancer",
            ["selector"] = new JsonObject { ["app"] = name },
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80 }),
        },
    };

    private static JsonObject Slice(string service, bool ready) => new()
    {
        ["apiVersion"] = "discovery.k8s.io/v1",
        ["kind"] = "EndpointSlice",
        ["metadata"] = new JsonObject
        {
            ["name"] = $"{service}-rbac",
            ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = service },
        },
        ["addressType"] = "IPv4",
        ["endpoints"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray("10.244.1.5"),
            ["conditions"] = new JsonObject { ["ready"] = ready },
            ["nodeName"] = RbacLab.NodeName,
        }),
        ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080, ["protocol"] = "TCP" }),
    };
}
