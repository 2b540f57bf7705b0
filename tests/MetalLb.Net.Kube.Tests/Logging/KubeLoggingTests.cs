using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Leader;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Kube.Tests.Wire;
using MetalLb.Net.Kube.Watch;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Kube.Tests.Logging;

/// <summary>What used to be silent is logged: a handler's exception, a 410 and its relist, leadership.</summary>
public sealed class KubeLoggingTests : IAsyncLifetime
{
    private Emulator _emu = null!;
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync() => _emu = await Emulator.StartAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        await _emu.DisposeAsync();
    }

    [Fact]
    public async Task A_handler_exception_is_logged_with_the_object_and_the_exception()
    {
        var log = new RecordingLogger();
        var services = _emu.Client.Resource<Service>();
        var informer = new Informer<Service>(services, logger: log);
        informer.AddHandler(change => throw new InvalidOperationException("handler bug for " + change.Key));
        var run = informer.RunAsync(_stop.Token);
        await services.CreateAsync(Emulator.Service("web"));

        await Eventually.True(() => log.Entries.Any(e => e.Id.Id == 2101), "handler failure logged");
        var entry = log.Entries.First(e => e.Id.Id == 2101);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("default/web", entry.Message, StringComparison.Ordinal);
        Assert.Equal("handler bug for default/web", entry.Exception?.Message);
        Assert.Equal(1, informer.HandlerFailures);
        await _stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_410_and_the_relist_after_it_are_logged()
    {
        var log = new RecordingLogger();
        var services = _emu.Client.Resource<Service>();
        var informer = new Informer<Service>(services, options: new ResilientWatchOptions { InitialBackoff = TimeSpan.FromMilliseconds(20) }, logger: log);
        var run = informer.RunAsync(_stop.Token);
        await informer.ReadyAsync();
        await _emu.WatchStreamingAsync(() => informer.WatchEvents);
        // The next watch is told its resume point expired (410), as after a compaction.
        _emu.Faults.ExpireNextWatches(1);
        _emu.Faults.CutWatches();
        await services.CreateAsync(Emulator.Service("a"));
        _emu.Server.Compact();

        await Eventually.True(() => log.Entries.Any(e => e.Id.Id == 2103), "relist logged");
        Assert.Contains(log.Entries, e => e.Id.Id == 2102 && e.Level == LogLevel.Information);
        Assert.Contains(log.Entries, e => e.Id.Id == 2103 && e.Message.Contains("Service", StringComparison.Ordinal));
        Assert.True(informer.Relists >= 1);
        await _stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Gaining_and_releasing_leadership_is_logged()
    {
        await _emu.CreateNamespaceAsync("metallb-system");
        var log = new RecordingLogger();
        var store = new KubeLeaseStore(_emu.Client.Resource<Lease>(), "metallb-system", "metallb-controller");
        var elector = new LeaderElector(store, new LeaderElectionOptions
        {
            LeaseName = "metallb-controller", Namespace = "metallb-system", Identity = "a",
            LeaseDuration = TimeSpan.FromSeconds(30), RenewDeadline = TimeSpan.FromSeconds(20), RetryPeriod = TimeSpan.FromMilliseconds(200),
        }, logger: log);
        using var stop = new CancellationTokenSource();
        var leading = new TaskCompletionSource();
        var run = elector.RunAsync(ct => { leading.TrySetResult(); return Task.Delay(Timeout.Infinite, ct); }, stop.Token);
        await leading.Task.WaitAsync(Eventually.DefaultDeadline);
        await stop.CancelAsync();
        await run;

        Assert.Contains(log.Entries, e => e.Id.Id == 2111 && e.Message.Contains("metallb-system/metallb-controller as a", StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Id.Id == 2114 && e.Message.Contains("held by a", StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Id.Id == 2113);
        Assert.DoesNotContain(log.Entries, e => e.Id.Id == 2112);   // shutdown is not a loss
    }

    [Fact]
    public async Task A_lease_write_refused_by_rbac_is_one_warning_in_the_servers_words_and_each_retry_is_debug()
    {
        await _emu.CreateNamespaceAsync("metallb-system");
        // A ServiceAccount nothing is bound to: the emulator refuses its lease requests as kube-apiserver does.
        await _emu.Client.Generic(new ResourceInfo("", "v1", "serviceaccounts", "ServiceAccount", true))
            .CreateAsync(GenericObject.Parse("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"unbound","namespace":"metallb-system"}}"""));
        string token = _emu.Server.CreateServiceAccountToken("metallb-system", "unbound");
        using var client = new KubeClient(KubeConfigLoader.FromYaml(_emu.Server.Kubeconfig(token)));
        var log = new RecordingLogger();
        var store = new KubeLeaseStore(client.Resource<Lease>(), "metallb-system", "metallb-controller");
        var elector = new LeaderElector(store, new LeaderElectionOptions
        {
            LeaseName = "metallb-controller", Namespace = "metallb-system", Identity = "a",
            LeaseDuration = TimeSpan.FromSeconds(30), RenewDeadline = TimeSpan.FromSeconds(20), RetryPeriod = TimeSpan.FromMilliseconds(20),
        }, logger: log);
        using var stop = new CancellationTokenSource();
        var run = elector.RunAsync(_ => Task.CompletedTask, stop.Token);
        await Eventually.True(() => log.Entries.Count(e => e.Id.Id == 2115) >= 3, "three more refused rounds after the first");
        await stop.CancelAsync();
        await run;

        var warning = Assert.Single(log.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(2117, warning.Id.Id);
        Assert.Contains("(403 Forbidden: leases.coordination.k8s.io \"metallb-controller\" is forbidden: User \"system:serviceaccount:metallb-system:unbound\"",
            warning.Message, StringComparison.Ordinal);
        Assert.All(log.Entries.Where(e => e.Id.Id == 2115), e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains("Forbidden: 403", StringComparison.Ordinal));
        Assert.False(elector.IsLeader);
    }

    [Fact]
    public async Task A_watch_refused_by_rbac_where_the_list_is_allowed_is_one_warning_not_one_per_retry()
    {
        await _emu.CreateNamespaceAsync("metallb-system");
        await _emu.CreateNamespaceAsync("shop");
        await Create("", "v1", "serviceaccounts", "ServiceAccount", true,
            """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"lister","namespace":"metallb-system"}}""");
        await Create("rbac.authorization.k8s.io", "v1", "roles", "Role", true,
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"list-only","namespace":"shop"},"rules":[{"apiGroups":[""],"resources":["services"],"verbs":["list"]}]}""");
        await Create("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true,
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"list-only","namespace":"shop"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"list-only"},"subjects":[{"kind":"ServiceAccount","name":"lister","namespace":"metallb-system"}]}""");
        string token = _emu.Server.CreateServiceAccountToken("metallb-system", "lister");
        using var client = new KubeClient(KubeConfigLoader.FromYaml(_emu.Server.Kubeconfig(token)));
        var log = new RecordingLogger();
        var informer = new Informer<Service>(client.Resource<Service>(), "shop",
            options: new ResilientWatchOptions { InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(20) }, logger: log);
        var run = informer.RunAsync(_stop.Token);
        await informer.ReadyAsync();   // the list is allowed
        await Eventually.True(() => log.Entries.Count(e => e.Id.Id == 2106) >= 3, "three more refused watches after the first");
        await _stop.CancelAsync();
        await run;

        var warning = Assert.Single(log.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(2107, warning.Id.Id);
        Assert.Contains("Watch of Service refused by the API server (403 Forbidden: services is forbidden: User \"system:serviceaccount:metallb-system:lister\" cannot watch resource \"services\"",
            warning.Message, StringComparison.Ordinal);
        Assert.All(log.Entries.Where(e => e.Id.Id == 2106), e => Assert.Equal(LogLevel.Debug, e.Level));
    }

    private Task<GenericObject> Create(string group, string version, string plural, string kind, bool namespaced, string json) =>
        _emu.Client.Generic(new ResourceInfo(group, version, plural, kind, namespaced)).CreateAsync(GenericObject.Parse(json));
}
