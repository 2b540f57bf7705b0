using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MetalLb.Net.Lab;

/// <summary>How the lab's FRR router peers with the nodes.</summary>
public sealed record FrrRouterOptions
{
    /// <summary>The router's AS; the nodes' BGPPeer has it as peerASN. <value>64500 by default.</value></summary>
    public uint Asn { get; init; } = 64500;

    /// <summary>The nodes' AS (their BGPPeer's myASN). <value>64512 by default (eBGP).</value></summary>
    public uint NodeAsn { get; init; } = 64512;

    /// <summary>TCP MD5 password on every node session; null for none.</summary>
    public string? Password { get; init; }

    /// <summary>RFC 4724 helper mode: keep a restarting node's routes.</summary>
    public bool GracefulRestart { get; init; }

    /// <summary>
    /// BFD with every node: bfdd runs too, and the nodes' peer group uses a profile with this
    /// receive and transmit interval, so a node's BFD going down takes its session (and routes)
    /// down. Null (the default) runs no bfdd.
    /// </summary>
    public TimeSpan? BfdInterval { get; init; }

    /// <summary>The BFD detect multiplier. <value>3 by default.</value></summary>
    public int BfdMultiplier { get; init; } = 3;

    /// <summary>Extra lines inside "router bgp" (after the neighbors).</summary>
    public string Extra { get; init; } = "";
}

/// <summary>
/// FRR (zebra + bgpd) in the lab's router namespace, peering with every node (passive: the
/// speakers dial, as upstream's do) with multipath on, so zebra installs one kernel route with
/// a next hop per announcing node. Both daemons run as the package's frr user (zebra refuses
/// root), with their own config, pid files and vty socket in the lab's folder. Read with vtysh.
/// </summary>
public sealed class FrrRouter : IDisposable
{
    private readonly string _dir;

    public FrrRouter(LabHost host, string labDir, IEnumerable<LabHost> nodes, FrrRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        Host = host;
        Options = options;
        _dir = Path.Combine(labDir, "frr");
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "bgpd.conf"), Config(host, nodes, options));
        File.WriteAllText(Path.Combine(_dir, "zebra.conf"), "");
        File.WriteAllText(Path.Combine(_dir, "bfdd.conf"), BfdConfig(options));
        // The frr user must reach its files: a temp folder is 0700 root.
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(labDir, (UnixFileMode)0x1ED);   // 0755
            File.SetUnixFileMode(_dir, (UnixFileMode)0x1FF);     // 0777
            foreach (string f in Directory.GetFiles(_dir))
                File.SetUnixFileMode(f, (UnixFileMode)0x1B6);    // 0666
        }
        string common = $"-u frr -g frr -P 0 -z {_dir}/zserv.api --vty_socket {_dir}";
        Zebra = Daemon(labDir, "zebra", $"/usr/lib/frr/zebra {common} -f {_dir}/zebra.conf -i {_dir}/zebra.pid");
        Bgpd = Daemon(labDir, "bgpd", $"/usr/lib/frr/bgpd {common} -f {_dir}/bgpd.conf -i {_dir}/bgpd.pid");
        // bgpd asks bfdd for sessions through zebra, so bfdd shares zebra's socket.
        if (options.BfdInterval is not null)
            Bfdd = Daemon(labDir, "bfdd", $"/usr/lib/frr/bfdd {common} --bfdctl {_dir}/bfdd.sock -f {_dir}/bfdd.conf -i {_dir}/bfdd.pid");
    }

    public LabHost Host { get; }

    public FrrRouterOptions Options { get; }

    public LabProcess Zebra { get; }

    public LabProcess Bgpd { get; }

    /// <summary>bfdd, when <see cref="FrrRouterOptions.BfdInterval"/> is set.</summary>
    public LabProcess? Bfdd { get; }

    /// <summary>bfdd's profile "lab" with the options' timers (empty without BFD).</summary>
    public static string BfdConfig(FrrRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BfdInterval is not { } interval)
            return "";
        int ms = (int)interval.TotalMilliseconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"bfd\n profile lab\n  receive-interval {ms}\n  transmit-interval {ms}\n  detect-multiplier {options.BfdMultiplier}\n !\n!\n");
    }

    public static string Config(LabHost router, IEnumerable<LabHost> nodes, FrrRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(options);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"""
            frr defaults traditional
            log stdout informational
            router bgp {options.Asn}
             bgp router-id {router.IPv4}
             no bgp ebgp-requires-policy
             no bgp default ipv4-unicast
            """).Append('\n');
        if (options.GracefulRestart)
            sb.Append(" bgp graceful-restart\n");
        sb.Append(CultureInfo.InvariantCulture, $" neighbor nodes peer-group\n neighbor nodes remote-as {options.NodeAsn}\n neighbor nodes passive\n neighbor nodes timers 3 9\n");
        if (options.BfdInterval is not null)
            sb.Append(" neighbor nodes bfd\n neighbor nodes bfd profile lab\n");
        if (options.Password is { } password)
            sb.Append(CultureInfo.InvariantCulture, $" neighbor nodes password {password}\n");
        foreach (var n in nodes)
            sb.Append(CultureInfo.InvariantCulture, $" neighbor {n.IPv4} peer-group nodes\n");
        sb.Append(options.Extra);
        // Multipath: one path per node, all installed (upstream's model: ECMP is the router's job).
        sb.Append(" address-family ipv4 unicast\n  neighbor nodes activate\n  maximum-paths 16\n  maximum-paths ibgp 16\n exit-address-family\n");
        sb.Append(" address-family ipv6 unicast\n  neighbor nodes activate\n  maximum-paths 16\n  maximum-paths ibgp 16\n exit-address-family\n");
        return sb.ToString();
    }

    /// <summary>
    /// zebra first, and only once its zserv socket is there; then bgpd; bfdd last. The order is
    /// the fix for a startup race seen in CI: bgpd's BFD session requests go to bfdd through
    /// zebra, a request sent before bgpd reaches zebra is dropped ("was not installed"), and
    /// bgpd only sends it again when bfdd connects and asks every client to replay. Started last,
    /// bfdd's replay request reaches a bgpd that is already connected.
    /// </summary>
    public void Start()
    {
        Zebra.Start();
        WaitForSocket(Path.Combine(_dir, "zserv.api"), Zebra, TimeSpan.FromSeconds(30));
        Bgpd.Start();
        Bfdd?.Start();
    }

    private static void WaitForSocket(string path, LabProcess owner, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(path))
        {
            if (!owner.IsRunning)
                throw new InvalidOperationException($"{owner.Name} exited before creating {path}; its log: {owner.LogPath}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{owner.Name} did not create {path} within {timeout.TotalSeconds:0} s; its log: {owner.LogPath}");
            Thread.Sleep(20);   // polling for a file another process creates; bounded by the deadline above
        }
    }

    /// <summary>vtysh's answer to one command ("" when bgpd is not up).</summary>
    public string Vtysh(string command) =>
        LabShell.InNs(Host.Namespace, "vtysh", "--vty_socket", _dir, "-c", command).Stdout;

    /// <summary>A vtysh JSON answer, or null while it is not JSON (daemon starting).</summary>
    public JsonDocument? VtyshJson(string command)
    {
        string text = Vtysh(command).Trim();
        if (!text.StartsWith('{'))
            return null;
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Sessions in Established state, by neighbor address (`show bgp summary json`).</summary>
    public IReadOnlySet<string> EstablishedPeers()
    {
        using var doc = VtyshJson("show bgp summary json");
        var up = new HashSet<string>(StringComparer.Ordinal);
        if (doc is null)
            return up;
        foreach (var family in doc.RootElement.EnumerateObject())
        {
            if (family.Value.ValueKind != JsonValueKind.Object || !family.Value.TryGetProperty("peers", out var peers))
                continue;
            foreach (var p in peers.EnumerateObject())
                if (p.Value.TryGetProperty("state", out var s) && s.GetString() == "Established")
                    up.Add(p.Name);
        }
        return up;
    }

    /// <summary>The BGP paths FRR holds for <paramref name="prefix"/> (`show bgp ipv4|ipv6 unicast PREFIX json`).</summary>
    public IReadOnlyList<BgpPath> Paths(string prefix)
    {
        string family = prefix.Contains(':', StringComparison.Ordinal) ? "ipv6" : "ipv4";
        using var doc = VtyshJson($"show bgp {family} unicast {prefix} json");
        if (doc is null || !doc.RootElement.TryGetProperty("paths", out var paths))
            return [];
        return [.. paths.EnumerateArray().Select(BgpPath.From)];
    }

    /// <summary>Next hops of the route zebra installed in the router's kernel (`ip route show PREFIX`), sorted.</summary>
    public IReadOnlyList<string> KernelNextHops(string prefix)
    {
        string family = prefix.Contains(':', StringComparison.Ordinal) ? "-6" : "-4";
        string text = LabShell.Run("ip", "-n", Host.Namespace, family, "-j", "route", "show", prefix).Stdout.Trim();
        if (text.Length == 0)
            return [];
        using var doc = JsonDocument.Parse(text);
        var hops = new List<string>();
        foreach (var route in doc.RootElement.EnumerateArray())
        {
            if (route.TryGetProperty("gateway", out var gw))
                hops.Add(gw.GetString()!);
            if (route.TryGetProperty("nexthops", out var nhs))
                hops.AddRange(nhs.EnumerateArray().Where(n => n.TryGetProperty("gateway", out _)).Select(n => n.GetProperty("gateway").GetString()!));
        }
        return [.. hops.Order(StringComparer.Ordinal)];
    }

    /// <summary>What to print when a wait times out: sessions, the table and bgpd's log.</summary>
    public string Describe() =>
        $"{Vtysh("show bgp summary")}\n{Vtysh("show bgp ipv4 unicast")}\n{Vtysh("show ip route bgp")}\n--- bgpd log ---\n{Tail(Bgpd.ReadLog(), 60)}"
        + (Bfdd is null ? "" : $"\n{Vtysh("show bfd peers brief")}\n--- bfdd log ---\n{Tail(Bfdd.ReadLog(), 30)}");

    public void Dispose()
    {
        Bgpd.Dispose();
        Bfdd?.Dispose();
        Zebra.Dispose();
    }

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    private LabProcess Daemon(string labDir, string name, string command) =>
        new(name, Path.Combine(labDir, $"{name}.log"), () =>
        {
            var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in (string[])["netns", "exec", Host.Namespace, .. command.Split(' ')])
                psi.ArgumentList.Add(a);
            return psi;
        });
}

/// <summary>One BGP path as FRR shows it: next hop, LOCAL_PREF, communities, multipath/best flags.</summary>
public sealed record BgpPath(string NextHop, uint? LocalPref, string Communities, bool Multipath, bool Best, bool Stale)
{
    public static BgpPath From(JsonElement p)
    {
        string nextHop = p.TryGetProperty("nexthops", out var n) && n.GetArrayLength() > 0 ? n[0].GetProperty("ip").GetString() ?? "" : "";
        uint? localPref = p.TryGetProperty("locPrf", out var lp) && lp.TryGetUInt32(out uint v) ? v : null;
        string communities = p.TryGetProperty("community", out var c) && c.TryGetProperty("string", out var s) ? s.GetString() ?? "" : "";
        bool Flag(string name) => p.TryGetProperty(name, out var f) && f.ValueKind == JsonValueKind.True;
        // FRR puts "bestpath": {"overall": true} on the best path; multipath has its own flag.
        bool best = p.TryGetProperty("bestpath", out var b) && b.TryGetProperty("overall", out var o) && o.ValueKind == JsonValueKind.True;
        return new BgpPath(nextHop, localPref, communities, Flag("multipath"), best, Flag("stale"));
    }
}
