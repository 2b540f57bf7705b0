using System.Diagnostics;
using System.Text.Json;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>
/// FRR's bgpd in a namespace with its own config, pid file and vty socket directory; read with
/// vtysh. By default without zebra (-Z). With zebra both daemons run as the package's frr user
/// (zebra refuses root, which is not in the frrvty group) and install routes in the namespace's
/// kernel table, so `ip route` shows what FRR chose.
/// </summary>
internal sealed class Frr
{
    private readonly NetLab _lab;
    private readonly string _dir;

    private readonly bool _zebra;

    public Frr(NetLab lab, string ns, string config, bool zebra = false)
    {
        _lab = lab;
        Ns = ns;
        _zebra = zebra;
        _dir = Path.Combine(lab.Dir, $"frr-{ns}");
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "bgpd.conf"), config);
        File.WriteAllText(Path.Combine(_dir, "zebra.conf"), "");
        if (zebra && !OperatingSystem.IsWindows())
        {
            // The frr user must reach its files: the lab dir is 0700 root by default.
            File.SetUnixFileMode(lab.Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(_dir, (UnixFileMode)0x1FF);
            foreach (var f in Directory.GetFiles(_dir))
                File.SetUnixFileMode(f, (UnixFileMode)0x1B6);
        }
    }

    public string Ns { get; }
    public Process? Process { get; private set; }

    public Process? Zebra { get; private set; }

    public void Start()
    {
        if (!_zebra)
        {
            Process = _lab.Start(Ns, $"/usr/lib/frr/bgpd -Z -S -P 0 -f {_dir}/bgpd.conf -i {_dir}/bgpd.pid --vty_socket {_dir}", $"frr-{Ns}.log");
            return;
        }
        var common = $"-u frr -g frr -P 0 -z {_dir}/zserv.api --vty_socket {_dir}";
        Zebra = _lab.Start(Ns, $"/usr/lib/frr/zebra {common} -f {_dir}/zebra.conf -i {_dir}/zebra.pid", $"zebra-{Ns}.log");
        // bgpd connects to zebra's socket and retries until it is there.
        Process = _lab.Start(Ns, $"/usr/lib/frr/bgpd {common} -f {_dir}/bgpd.conf -i {_dir}/bgpd.pid", $"frr-{Ns}.log");
    }

    public string Vtysh(string command) => NetLab.InNs(Ns, $"vtysh --vty_socket {_dir} -c \"{command}\"", check: false);

    /// <summary>What to print when a wait times out: bgpd's session summary and its log.</summary>
    public string Describe() => $"{Vtysh("show bgp summary")}\n{_lab.Log($"frr-{Ns}.log")}";

    /// <summary>The paths FRR holds for <paramref name="prefix"/> (`show bgp ... json`), empty if none.</summary>
    public List<JsonElement> Paths(string prefix)
    {
        var family = prefix.Contains(':', StringComparison.Ordinal) ? "ipv6" : "ipv4";
        var json = Vtysh($"show bgp {family} unicast {prefix} json").Trim();
        if (!json.StartsWith('{'))
            return [];
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty("paths", out var paths)
            ? paths.EnumerateArray().Select(p => p.Clone()).ToList()
            : [];
    }

    public string NeighborState(string neighbor)
    {
        var json = Vtysh($"show bgp neighbors {neighbor} json").Trim();
        if (!json.StartsWith('{'))
            return "";
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty(neighbor, out var n) && n.TryGetProperty("bgpState", out var s) ? s.GetString()! : "";
    }

    public static string Text(JsonElement path, string property, string inner = "string") =>
        path.TryGetProperty(property, out var p) ? (p.ValueKind == JsonValueKind.Object && p.TryGetProperty(inner, out var s) ? s.ToString() : p.ToString()) : "";

    public static bool Flag(JsonElement path, string property) =>
        path.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.True;

    public static string NextHop(JsonElement path) =>
        path.TryGetProperty("nexthops", out var n) ? n[0].GetProperty("ip").GetString()! : "";
}
