using System.Diagnostics;
using System.Text.Json;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>gobgpd in a namespace, configured by TOML, read back with its own CLI (`gobgp -j`).</summary>
internal sealed class Gobgp
{
    private readonly NetLab _lab;
    private readonly string _config;

    public Gobgp(NetLab lab, string ns, uint asn, string routerId, string neighbor, uint neighborAs, string? password = null,
        int holdTime = 9, bool gracefulRestart = false)
    {
        _lab = lab;
        Ns = ns;
        _config = Path.Combine(lab.Dir, $"gobgpd-{ns}.toml");
        File.WriteAllText(_config, $"""
            [global.config]
              as = {asn}
              router-id = "{routerId}"
            [[neighbors]]
              [neighbors.config]
                neighbor-address = "{neighbor}"
                peer-as = {neighborAs}
                {(password is null ? "" : $"auth-password = \"{password}\"")}
              [neighbors.transport.config]
                passive-mode = true
              [neighbors.timers.config]
                hold-time = {holdTime}
                keepalive-interval = {Math.Max(1, holdTime / 3)}
                idle-hold-time-after-reset = 1
              {(gracefulRestart ? "[neighbors.graceful-restart.config]\n    enabled = true\n    restart-time = 120" : "")}
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "ipv4-unicast"
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "ipv6-unicast"
            """);
    }

    public string Ns { get; }
    public Process? Process { get; private set; }

    public void Start()
    {
        Process = _lab.Start(Ns, $"gobgpd -f {_config} --log-plain --pprof-disable", $"gobgpd-{Ns}.log");
    }

    /// <summary>What to print when a wait times out: gobgpd's neighbor table and its log.</summary>
    public string Describe() => $"{NetLab.InNs(Ns, "gobgp neighbor", check: false)}\n{_lab.Log($"gobgpd-{Ns}.log")}";

    /// <summary>session_state from `gobgp -j neighbor`: 6 is Established; -1 while gobgpd's API is not up yet.</summary>
    public int SessionState()
    {
        var json = NetLab.InNs(Ns, "gobgp -j neighbor", check: false);
        if (!json.TrimStart().StartsWith('['))
            return -1;
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(n => n.GetProperty("state").TryGetProperty("session_state", out var s) ? s.GetInt32() : 0).FirstOrDefault();
    }

    /// <summary>`gobgp -j global rib -a ipv4|ipv6`: prefix -> the best path's JSON text.</summary>
    public Dictionary<string, string> Rib(string family)
    {
        var json = NetLab.InNs(Ns, $"gobgp -j global rib -a {family}", check: false).Trim();
        if (!json.StartsWith('{'))
            return [];
        using var doc = JsonDocument.Parse(json);
        // Anything but prefix -> [paths] (e.g. an error while the session comes up) counts as no routes yet.
        return doc.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array).ToDictionary(p => p.Name,
            p => p.Value.EnumerateArray().First(path => path.TryGetProperty("best", out var b) && b.GetBoolean()).GetRawText());
    }
}
