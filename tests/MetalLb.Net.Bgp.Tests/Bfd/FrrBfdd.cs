using System.Diagnostics;
using System.Text.Json;
using MetalLb.Net.Bgp.Tests.Interop;

namespace MetalLb.Net.Bgp.Tests.Bfd;

/// <summary>
/// FRR's bfdd in the peer namespace with its own config, pid file, control socket and vty
/// socket (so tests never share one), optionally with bgpd beside it; read with vtysh. Runs as
/// the package's frr user, so the lab directory is opened up for it.
/// </summary>
internal sealed class FrrBfdd
{
    private readonly NetLab _lab;
    private readonly string _dir;

    public FrrBfdd(NetLab lab, string ns, string bfdConfig, string? bgpConfig = null)
    {
        _lab = lab;
        Ns = ns;
        _dir = Path.Combine(lab.Dir, $"bfdd-{ns}");
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "bfdd.conf"), bfdConfig);
        if (bgpConfig is not null)
            File.WriteAllText(Path.Combine(_dir, "bgpd.conf"), bgpConfig);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(lab.Dir, (UnixFileMode)0x1ED);   // 0755: frr must reach its directory
            File.SetUnixFileMode(_dir, (UnixFileMode)0x1FF);
            foreach (var f in Directory.GetFiles(_dir))
                File.SetUnixFileMode(f, (UnixFileMode)0x1B6);
        }
        var common = $"-u frr -g frr -P 0 -z {_dir}/zserv.api --vty_socket {_dir}";
        Bfdd = lab.Start(ns, $"/usr/lib/frr/bfdd {common} --bfdctl {_dir}/bfdd.sock -f {_dir}/bfdd.conf -i {_dir}/bfdd.pid", $"bfdd-{ns}.log");
        if (bgpConfig is not null)
            Bgpd = lab.Start(ns, $"/usr/lib/frr/bgpd -Z -S -P 0 -f {_dir}/bgpd.conf -i {_dir}/bgpd.pid --vty_socket {_dir}", $"bgpd-{ns}.log");
    }

    public string Ns { get; }
    public Process Bfdd { get; }
    public Process? Bgpd { get; }

    public string Vtysh(params string[] commands) =>
        NetLab.InNs(Ns, $"vtysh --vty_socket {_dir} {string.Join(' ', commands.Select(c => $"-c \"{c}\""))}", check: false);

    /// <summary>bfdd's view of the session with <paramref name="peer"/> (`show bfd peers json`), or null.</summary>
    public JsonElement? Peer(string peer)
    {
        var json = Vtysh("show bfd peers json").Trim();
        if (!json.StartsWith('['))
            return null;
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateArray())
            if (p.GetProperty("peer").GetString() == peer)
                return p.Clone();
        return null;
    }

    public string Status(string peer) => Peer(peer)?.GetProperty("status").GetString() ?? "";

    public string Describe() => $"{Vtysh("show bfd peers")}\n{_lab.Log($"bfdd-{Ns}.log")}";

    /// <summary>A bfdd peer block with a profile's timers.</summary>
    public static string PeerBlock(string peer, string local, int rx = 300, int tx = 300, int mult = 3, bool multihop = false, bool passive = false, int? minimumTtl = null) => $"""
         peer {peer}{(multihop ? " multihop" : "")} local-address {local}
          receive-interval {rx}
          transmit-interval {tx}
          detect-multiplier {mult}
        {(passive ? "  passive-mode\n" : "")}{(minimumTtl is { } t ? $"  minimum-ttl {t}\n" : "")} !
        """;

    public static string Config(params string[] peers) => $"bfd\n{string.Join("\n", peers)}\n!\n";
}
