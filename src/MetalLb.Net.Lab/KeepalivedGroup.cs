using System.Globalization;

namespace MetalLb.Net.Lab;

/// <summary>
/// One keepalived per lab node for one <see cref="KeepalivedRouter"/>: each in its node's
/// namespace on the LAN link (eth0), its configuration, pid files and log in the lab's folder,
/// so `lab down` removes them (and kills any keepalived left in a node namespace) even after
/// a crash of whoever started them. The nodes' backends answer on the VIP too (they listen on
/// every address), so a request to VIP:8080 names the node holding it, as with a Service IP.
/// </summary>
public sealed class KeepalivedGroup : IDisposable
{
    private const int SigStop = 19;

    private readonly LabState _state;
    private readonly string _dir;
    private readonly Dictionary<string, LabProcess> _processes = [];

    public KeepalivedGroup(LabState state, KeepalivedRouter router)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(router);
        _state = state;
        Router = router;
        _dir = Path.Combine(LabPaths.Dir(state.Name), "keepalived-" + router.Tag);
        Directory.CreateDirectory(_dir);
        string binary = Binary ?? throw new InvalidOperationException(Missing);
        for (int i = 0; i < state.Nodes.Count; i++)
        {
            var node = state.Nodes[i];
            string conf = Path.Combine(_dir, node.Name + ".conf");
            File.WriteAllText(conf, router.Render(node.Name, KeepalivedRouter.Priority(i), LabHost.Link));
            string[] args =
            [
                "netns", "exec", node.Namespace, binary,
                // In the foreground (so the PID is the parent's), VRRP only, logging to stdout and
                // not to syslog; pid files per node, since every node's keepalived shares this folder.
                "--dont-fork", "--vrrp", "--log-console", "--log-detail", "--no-syslog",
                "--use-file", conf,
                "--pid", Path.Combine(_dir, node.Name + ".pid"),
                "--vrrp_pid", Path.Combine(_dir, node.Name + ".vrrp.pid"),
            ];
            _processes[node.Name] = new LabProcess($"keepalived-{router.Tag}-{node.Name}", Path.Combine(_dir, node.Name + ".log"),
                () => LabShell.StartInfo("ip", args));
        }
    }

    public const string Missing = "keepalived (apt-get install keepalived; scripts/install/keepalived.sh)";

    public static string? Binary => LabShell.Which("keepalived");

    public KeepalivedRouter Router { get; }

    /// <summary>The node that holds the VIP whenever it runs: the first, with the highest priority.</summary>
    public string Preferred => _state.Nodes[0].Name;

    public bool AllRunning => _processes.Values.All(p => p.IsRunning);

    /// <summary>Starts again any node's keepalived that exited on its own, and says which and why (exit code, last log line).</summary>
    public IReadOnlyList<string> RestartExited()
    {
        var restarted = new List<string>();
        foreach (var (node, p) in _processes.Where(x => !x.Value.IsRunning && x.Value.Pid != 0))
        {
            string last = p.ReadLog().Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
            restarted.Add($"{p.Name} had exited ({p.ExitCode}; last log line: {last})");
            Restart(node);
        }
        return restarted;
    }

    public void Start()
    {
        foreach (var p in _processes.Values.Where(p => !p.IsRunning))
            p.Start();
    }

    /// <summary>The nodes whose LAN link holds the VIP now (`ip addr`): one when VRRP has settled.</summary>
    public IReadOnlyList<string> Holders() =>
        [.. _state.Nodes.Where(n => LabShell.Run("ip", "-n", n.Namespace, "-o", "-4", "addr", "show", "dev", LabHost.Link).Stdout
            .Contains($" {Router.Vip}/32 ", StringComparison.Ordinal)).Select(n => n.Name)];

    /// <summary>
    /// SIGKILL of the node's keepalived, VRRP process included: no priority-0 advertisement, the
    /// VIP stays on the link (as a crashed daemon leaves it). The parent is stopped first so it
    /// neither respawns the VRRP child nor, by dying first, has the child told to stop gracefully.
    /// </summary>
    public void Kill(string node)
    {
        var p = _processes[node];
        int parent = p.Pid;
        long parentStart = ProcInfo.StartTime(parent);
        ProcInfo.Signal(parent, parentStart, SigStop);
        foreach (int child in Children(parent))
            ProcInfo.Signal(child, ProcInfo.StartTime(child), ProcInfo.SigKill);
        p.SendSignal(graceful: false);
    }

    /// <summary>SIGTERM, as a service stop: keepalived sends priority 0 (RFC 5798 6.4.3) and removes the VIP.</summary>
    public void Stop(string node) => _processes[node].SendSignal(graceful: true);

    /// <summary>After a kill or stop: waits for the old process to be gone, removes a VIP a kill left behind, starts it again.</summary>
    public void Restart(string node)
    {
        var p = _processes[node];
        if (p.IsRunning)
            p.WaitForExit(TimeSpan.FromSeconds(10));
        var ns = _state.Nodes.First(n => n.Name == node).Namespace;
        // keepalived refuses to start ("daemon is already running") while a pid file names a
        // process that exists, and a killed parent's VRRP child can stay a zombie when PID 1
        // does not reap orphans (as in a container): end the old child, then remove both files.
        int old = PidFileOwner(node);
        if (old > 0 && ProcName(old) == "keepalived")
        {
            long start = ProcInfo.StartTime(old);
            ProcInfo.Signal(old, start, ProcInfo.SigKill);
            ProcInfo.WaitGone(old, start, TimeSpan.FromSeconds(10));
        }
        File.Delete(Path.Combine(_dir, node + ".pid"));
        File.Delete(Path.Combine(_dir, node + ".vrrp.pid"));
        LabShell.Run("ip", "-n", ns, "addr", "del", Router.Vip + "/32", "dev", LabHost.Link);
        p.Start();
    }

    public void Dispose()
    {
        foreach (var p in _processes.Values)
            p.Dispose();   // SIGTERM (priority 0, VIP removed), SIGKILL after 5 s
    }

    private int PidFileOwner(string node) =>
        int.TryParse(TryRead(Path.Combine(_dir, node + ".vrrp.pid")), CultureInfo.InvariantCulture, out int pid) ? pid : 0;

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string ProcName(int pid) => TryRead($"/proc/{pid}/comm");

    /// <summary>The processes whose parent is <paramref name="pid"/> (keepalived's VRRP child), from /proc/*/stat.</summary>
    private static IEnumerable<int> Children(int pid)
    {
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out int candidate))
                continue;
            string stat = TryRead(Path.Combine(dir, "stat"));
            int close = stat.LastIndexOf(')');
            if (close < 0)
                continue;
            string[] fields = stat[(close + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], CultureInfo.InvariantCulture, out int ppid) && ppid == pid)
                yield return candidate;
        }
    }
}
