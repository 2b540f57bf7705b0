using System.Text.Json;
using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>
/// BFD as the router sees it: a BGPPeer with a bfdProfile gives FRR's bfdd a session with each
/// node, and a node that stops answering loses its routes on BFD's verdict instead of at the
/// end of the BGP hold time. The node is frozen (SIGSTOP), not killed: a killed process's
/// sockets are closed by the kernel, and the TCP reset would end the BGP session at once with
/// or without BFD. A frozen one's kernel still ACKs FRR's keepalives, as a hung node's would.
/// How long the withdrawal takes is measured in tests/MetalLb.Net.Speaker.Bench (bfd).
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class BfdTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    [SkippableFact]
    public async Task With_a_bfd_profile_a_frozen_nodes_routes_leave_frr_because_bfd_went_down()
    {
        var (lab, s, prefix) = await StartAsync(bfd: true);
        await using var _ = lab;
        var router = lab.Router!;
        // FRR runs a session with each node, Up, with the profile's timers on our side.
        foreach (var node in lab.Nodes)
        {
            var peer = await Wait.ForAsync(() => BfdPeer(router, node.IPv4), p => p?.GetProperty("status").GetString() == "up",
                $"FRR's BFD session with {node.Name} up", router.Describe);
            Assert.Equal(300, peer!.Value.GetProperty("remote-receive-interval").GetInt32());
            Assert.Equal(300, peer.Value.GetProperty("remote-transmit-interval").GetInt32());
            Assert.Equal(3, peer.Value.GetProperty("remote-detect-multiplier").GetInt32());
        }

        var victim = lab.Nodes[1];
        Freeze(victim, true);
        await Wait.ForAsync(() => NextHops(router, prefix), hops => !hops.Contains(victim.IPv4),
            $"{victim.Name}'s path to {prefix} gone from FRR", router.Describe);
        Assert.Equal(lab.Nodes[0].IPv4, Assert.Single(NextHops(router, prefix)));
        Assert.Contains("BFD", LastReset(router, victim.IPv4), StringComparison.Ordinal);

        // Thawed, the node comes back: BFD Up again, then BGP, then its path.
        Freeze(victim, false);
        await Wait.ForAsync(() => NextHops(router, prefix), hops => hops.Contains(victim.IPv4),
            $"{victim.Name}'s path back after thawing", router.Describe);
        Assert.Equal("up", BfdPeer(router, victim.IPv4)?.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Without_bfd_a_frozen_nodes_routes_stay_until_the_hold_timer_expires()
    {
        var (lab, _, prefix) = await StartAsync(bfd: false);
        await using var __ = lab;
        var router = lab.Router!;
        var victim = lab.Nodes[1];
        Freeze(victim, true);
        await Wait.ForAsync(() => NextHops(router, prefix), hops => !hops.Contains(victim.IPv4),
            $"{victim.Name}'s path to {prefix} gone from FRR", router.Describe);
        string reset = LastReset(router, victim.IPv4);
        Assert.DoesNotContain("BFD", reset, StringComparison.Ordinal);
        Assert.Contains("Hold Timer Expired", reset, StringComparison.OrdinalIgnoreCase);
        Freeze(victim, false);
    }

    private async Task<(ClusterLab Lab, Scenario Scenario, string Prefix)> StartAsync(bool bfd)
    {
        var lab = await ClusterLab.StartAsync(new ClusterLabOptions
        {
            Nodes = 2,
            RouterOptions = new FrrRouterOptions { BfdInterval = bfd ? Interval : null },
            Output = output.WriteLine,
        });
        try
        {
            var s = new Scenario(lab);
            await s.PoolAsync("wan", Scenario.BgpAddresses);
            if (bfd)
                await s.BfdProfileAsync("fast", 300, 3);
            await s.BgpPeerAsync("router", spec => spec.BFDProfile = bfd ? "fast" : null);
            await s.BgpAdvertisementAsync("wan");
            await s.ServiceAsync("api", "wan");
            string prefix = (await s.IPsAsync("api"))[0] + "/32";
            var all = lab.Nodes.Select(n => n.IPv4).Order(StringComparer.Ordinal).ToList();
            await Wait.ForAsync(() => NextHops(lab.Router!, prefix), hops => hops.SequenceEqual(all),
                $"FRR has {prefix} from every node", lab.Router!.Describe);
            return (lab, s, prefix);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGSTOP / SIGCONT the node's speaker (LabProcess.Dispose thaws it too).</summary>
    internal static void Freeze(LabNode node, bool frozen)
    {
        var r = LabShell.Run("kill", frozen ? "-STOP" : "-CONT", node.Speaker.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(r.ExitCode == 0, r.All);
    }

    internal static List<string> NextHops(FrrRouter router, string prefix) =>
        [.. router.Paths(prefix).Select(p => p.NextHop).Order(StringComparer.Ordinal)];

    /// <summary>bfdd's session with <paramref name="peer"/> (`show bfd peers json`), or null.</summary>
    internal static JsonElement? BfdPeer(FrrRouter router, string peer)
    {
        string text = router.Vtysh("show bfd peers json").Trim();
        if (!text.StartsWith('['))
            return null;
        using var doc = JsonDocument.Parse(text);
        foreach (var p in doc.RootElement.EnumerateArray())
            if (p.TryGetProperty("peer", out var a) && a.GetString() == peer)
                return p.Clone();
        return null;
    }

    /// <summary>Why FRR last reset the session with <paramref name="peer"/> (lastResetDueTo and the NOTIFICATION, if any).</summary>
    internal static string LastReset(FrrRouter router, string peer)
    {
        using var doc = router.VtyshJson($"show bgp neighbors {peer} json");
        if (doc is null || !doc.RootElement.TryGetProperty(peer, out var n))
            return "";
        string Field(string name) => n.TryGetProperty(name, out var v) ? v.ToString() : "";
        return $"{Field("lastResetDueTo")} {Field("lastNotificationReason")} {Field("lastErrorCodeSubcode")}".Trim();
    }
}
