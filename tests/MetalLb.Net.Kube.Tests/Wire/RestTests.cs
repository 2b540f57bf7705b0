using System.Net;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Kube.Tests.Wire;

/// <summary>Typed REST against the emulator over https with a bearer token.</summary>
public sealed class RestTests : IAsyncLifetime
{
    private Emulator _emu = null!;
    private ResourceClient<Service> _services = null!;

    public async Task InitializeAsync()
    {
        _emu = await Emulator.StartAsync();
        _services = _emu.Client.Resource<Service>();
    }

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public async Task Create_get_update_patch_and_delete_a_Service()
    {
        Service created = await _services.CreateAsync(Emulator.Service("web", labels: new() { ["app"] = "web" }));
        Assert.NotNull(created.Metadata.Uid);
        Assert.NotNull(created.Spec.ClusterIP);   // the server's defaulting came back

        created.Metadata.Annotations = new() { ["note"] = "put" };
        Service updated = await _services.UpdateAsync(created);
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);

        Service merged = await _services.PatchAsync("default", "web", PatchType.Merge, """{"metadata":{"labels":{"tier":"front"}}}""");
        Assert.Equal("front", merged.Metadata.Labels!["tier"]);
        Assert.Equal("web", merged.Metadata.Labels["app"]);

        Service jsonPatched = await _services.PatchAsync("default", "web", PatchType.Json,
            """[{"op":"replace","path":"/metadata/annotations/note","value":"json"}]""");
        Assert.Equal("json", jsonPatched.Metadata.Annotations!["note"]);

        Service got = await _services.GetAsync("default", "web");
        Assert.Equal(jsonPatched.Metadata.ResourceVersion, got.Metadata.ResourceVersion);

        Assert.True(await _services.DeleteAsync("default", "web"));
        Assert.False(await _services.DeleteAsync("default", "web"));
        var e = await Assert.ThrowsAsync<KubeApiException>(() => _services.GetAsync("default", "web"));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal("NotFound", e.Reason);
        Assert.Equal(404, e.Status.Code);
        Assert.Equal("web", e.Status.Details?.Name);
    }

    [Fact]
    public async Task Strategic_merge_adds_to_a_list_by_its_merge_key_where_merge_patch_replaces_it()
    {
        await _services.CreateAsync(Emulator.Service("ports"));
        Service strategic = await _services.PatchAsync("default", "ports", PatchType.StrategicMerge,
            """{"spec":{"ports":[{"name":"https","port":443}]}}""");
        Assert.Equal([80, 443], strategic.Spec.Ports!.Select(p => p.Port).Order());

        Service merged = await _services.PatchAsync("default", "ports", PatchType.Merge,
            """{"spec":{"ports":[{"name":"dns","port":53,"protocol":"UDP"}]}}""");
        Assert.Equal([53], merged.Spec.Ports!.Select(p => p.Port));
    }

    [Fact]
    public async Task Status_subresource_writes_status_only()
    {
        Service svc = await _services.CreateAsync(Emulator.Service("lb"));
        svc.Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { IP = "192.0.2.10" }] } };
        svc.Spec.Type = "ClusterIP";   // ignored on the status subresource
        Service written = await _services.UpdateStatusAsync(svc);
        Assert.Equal("192.0.2.10", written.Status!.LoadBalancer!.Ingress![0].IP);
        Assert.Equal("LoadBalancer", written.Spec.Type);

        Service patched = await _services.PatchAsync("default", "lb", PatchType.Merge,
            """{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.11"}]}}}""", subresource: "status");
        Assert.Equal("192.0.2.11", patched.Status!.LoadBalancer!.Ingress![0].IP);
    }

    [Fact]
    public async Task A_stale_write_is_a_409_filterable_by_status_code()
    {
        Service v1 = await _services.CreateAsync(Emulator.Service("race"));
        Service stale = await _services.GetAsync("default", "race");
        v1.Metadata.Labels = new() { ["winner"] = "first" };
        await _services.UpdateAsync(v1);

        stale.Metadata.Labels = new() { ["winner"] = "second" };
        bool conflict = false;
        try
        {
            await _services.UpdateAsync(stale);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            conflict = true;
            Assert.Equal("Conflict", e.Reason);
        }
        Assert.True(conflict);
    }

    [Fact]
    public async Task Conflict_retry_rereads_and_lands_the_status_write()
    {
        await _services.CreateAsync(Emulator.Service("retry"));
        _emu.Faults.FailNext(2, 409, "PUT", "/status");
        Service done = await ConflictRetry.UpdateStatusAsync(_services, "default", "retry", s =>
            s.Status = new ServiceStatus { LoadBalancer = new() { Ingress = [new() { IP = "192.0.2.20" }] } });
        Assert.Equal("192.0.2.20", done.Status!.LoadBalancer!.Ingress![0].IP);

        _emu.Faults.FailNext(ConflictRetry.Attempts, 409, "PUT", "/status");
        var e = await Assert.ThrowsAsync<KubeApiException>(() => ConflictRetry.UpdateStatusAsync(_services, "default", "retry", _ => { }));
        Assert.Equal(HttpStatusCode.Conflict, e.StatusCode);
    }

    [Fact]
    public async Task Server_errors_carry_the_servers_Status()
    {
        _emu.Faults.FailNext(1, 500, "GET");
        var e = await Assert.ThrowsAsync<KubeApiException>(() => _services.ListAsync());
        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Equal(500, e.Status.Code);
        Assert.Contains("injected fault", e.Status.Message, StringComparison.Ordinal);
        await _services.ListAsync();   // only the next one failed
    }

    [Fact]
    public async Task List_pages_through_continue_tokens_within_one_snapshot()
    {
        await _emu.CreateNamespaceAsync("paged");
        for (int i = 0; i < 23; i++)
            await _services.CreateAsync(Emulator.Service($"s{i:D2}", "paged"));
        KubeList<Service> first = await _services.ListAsync("paged", new ListOptions { Limit = 10 });
        Assert.Equal(10, first.Items.Count);
        Assert.False(string.IsNullOrEmpty(first.Continue));

        KubeList<Service> all = await _services.ListAllAsync("paged", new ListOptions { Limit = 10 });
        Assert.Equal(23, all.Items.Count);
        Assert.Equal(23, all.Items.Select(s => s.Metadata.Name).Distinct().Count());
        Assert.Empty((await _services.ListAsync("other")).Items);
        Assert.Equal(23, (await _services.ListAllAsync(null, new ListOptions { Limit = 7, LabelSelector = "" })).Items.Count(s => s.Metadata.Namespace == "paged"));
    }

    [Fact]
    public async Task Label_selectors_filter_lists()
    {
        await _services.CreateAsync(Emulator.Service("a", labels: new() { ["app"] = "x" }));
        await _services.CreateAsync(Emulator.Service("b", labels: new() { ["app"] = "y" }));
        KubeList<Service> list = await _services.ListAsync("default", new ListOptions { LabelSelector = "app=x" });
        Assert.Equal("a", Assert.Single(list.Items).Metadata.Name);
    }

    [Fact]
    public async Task Custom_resources_work_typed_generic_and_by_server_side_apply()
    {
        await _emu.InstallCrdsAsync();
        await _emu.CreateNamespaceAsync("metallb-system");
        ResourceClient<IPAddressPool> pools = _emu.Client.Resource<IPAddressPool>();
        var pool = new IPAddressPool
        {
            Metadata = new() { Name = "pool-a", Namespace = "metallb-system" },
            Spec = new IPAddressPoolSpec { Addresses = ["192.0.2.0/28"] },
        };
        IPAddressPool applied = await pools.ApplyAsync(pool, "metallb-net-tests");
        Assert.Equal(["192.0.2.0/28"], applied.Spec.Addresses);

        pool.Spec.Addresses = ["192.0.2.0/28", "198.51.100.0/28"];
        IPAddressPool reapplied = await pools.ApplyAsync(pool, "metallb-net-tests");
        Assert.Equal(2, reapplied.Spec.Addresses!.Count);

        ResourceClient<GenericObject> generic = _emu.Client.Generic(Kube.Rest.ResourceInfo.From(Api.Serialization.KindRegistry.Find("metallb.io/v1beta1", "IPAddressPool")!));
        GenericObject raw = await generic.GetAsync("metallb-system", "pool-a");
        Assert.Contains("198.51.100.0/28", raw.Fields!["spec"].GetRawText(), StringComparison.Ordinal);

        var bad = new IPAddressPool { Metadata = new() { Name = "bad", Namespace = "metallb-system" }, Spec = new() };
        var e = await Assert.ThrowsAsync<KubeApiException>(() => pools.CreateAsync(bad));
        Assert.Equal((HttpStatusCode)422, e.StatusCode);
        Assert.Equal("Invalid", e.Reason);
        Assert.Contains(e.Status.Details!.Causes!, c => c.Field is not null && c.Field.Contains("addresses", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plain_http_works_and_a_missing_token_is_a_401()
    {
        await using Emulator plain = await Emulator.StartAsync(https: false);
        Assert.Equal("http", plain.Server.BaseAddress.Scheme);
        Assert.NotNull(await plain.Client.Resource<Namespace>().GetAsync(null, "default"));

        using var anonymous = new KubeClient(new KubeClientOptions { Server = plain.Server.BaseAddress });
        var e = await Assert.ThrowsAsync<KubeApiException>(() => anonymous.Resource<Namespace>().ListAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
    }

    [Fact]
    public async Task Tls_fails_against_an_unknown_CA_and_passes_with_insecure_skip_verify()
    {
        using var other = new TestCerts();
        using var wrongCa = new KubeClient(new KubeClientOptions
        {
            Server = _emu.Server.BaseAddress,
            CertificateAuthorities = [other.Ca],
            Token = new StaticTokenSource(Emulator.Token),
        });
        await Assert.ThrowsAsync<HttpRequestException>(() => wrongCa.Resource<Namespace>().ListAsync());

        using var insecure = new KubeClient(new KubeClientOptions
        {
            Server = _emu.Server.BaseAddress,
            InsecureSkipTlsVerify = true,
            Token = new StaticTokenSource(Emulator.Token),
        });
        Assert.NotEmpty((await insecure.Resource<Namespace>().ListAsync()).Items);
    }
}
