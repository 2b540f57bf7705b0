using System.Diagnostics;
using System.Globalization;

namespace MetalLb.Net.Lab;

/// <summary>
/// CPU starvation for one lab node. CPU is not namespaced, so stress-ng in a node's network
/// namespace would load the whole machine, every node alike. Instead each stressed node gets a
/// cgroup with a CPU quota (cgroup v1 cpu.cfs_quota_us, or v2 cpu.max), and both that node's
/// speaker and a stress-ng worker are put in it: the speaker then competes for a small slice
/// with a busy loop, and is throttled at the end of each period once the slice is spent, while
/// the other nodes' speakers run as before.
/// </summary>
public sealed class CpuStressGroup
{
    private const int PeriodMicros = 100_000;

    private CpuStressGroup(string path, bool v2)
    {
        Path = path;
        IsV2 = v2;
    }

    /// <summary>The cgroup's folder.</summary>
    public string Path { get; }

    public bool IsV2 { get; }

    /// <summary>The root of the hierarchy holding the cpu controller, or null when there is none this process can use.</summary>
    public static (string Root, bool V2)? Hierarchy()
    {
        if (File.Exists("/sys/fs/cgroup/cpu/cgroup.procs") && File.Exists("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"))
            return ("/sys/fs/cgroup/cpu", false);
        if (File.Exists("/sys/fs/cgroup/cgroup.controllers")
            && File.ReadAllText("/sys/fs/cgroup/cgroup.subtree_control").Split(' ', '\n').Contains("cpu"))
            return ("/sys/fs/cgroup", true);
        return null;
    }

    /// <summary>Makes (or reuses) the group "metallb-net-lab-LAB-NODE" with a quota of <paramref name="percentOfOneCpu"/>.</summary>
    public static CpuStressGroup Create(string lab, string node, int percentOfOneCpu)
    {
        var (root, v2) = Hierarchy() ?? throw new InvalidOperationException(
            "no cgroup hierarchy with the cpu controller (looked for /sys/fs/cgroup/cpu and cgroup v2's cpu in /sys/fs/cgroup/cgroup.subtree_control)");
        string path = System.IO.Path.Combine(root, $"metallb-net-lab-{lab}-{node}");
        Directory.CreateDirectory(path);
        int quota = PeriodMicros * percentOfOneCpu / 100;
        if (v2)
        {
            File.WriteAllText(System.IO.Path.Combine(path, "cpu.max"), string.Create(CultureInfo.InvariantCulture, $"{quota} {PeriodMicros}"));
        }
        else
        {
            File.WriteAllText(System.IO.Path.Combine(path, "cpu.cfs_period_us"), PeriodMicros.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(System.IO.Path.Combine(path, "cpu.cfs_quota_us"), quota.ToString(CultureInfo.InvariantCulture));
        }
        return new CpuStressGroup(path, v2);
    }

    /// <summary>Moves a whole process (every thread) into the group; false when it is gone.</summary>
    public bool Add(int pid)
    {
        try
        {
            File.WriteAllText(System.IO.Path.Combine(Path, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
            return true;
        }
        catch (IOException)
        {
            return false;   // ESRCH: exited meanwhile
        }
    }

    public bool Contains(int pid) => Pids(Path).Contains(pid);

    /// <summary>
    /// Starts stress-ng with <paramref name="workers"/> CPU workers inside the group: a shell
    /// writes its own PID into the group and then execs stress-ng, so the workers it forks are
    /// born inside. stress-ng stops by itself after <paramref name="timeout"/> even if nobody
    /// is left to stop it.
    /// </summary>
    public Process StartStress(int workers, TimeSpan timeout)
    {
        string stress = LabShell.Which("stress-ng") ?? throw new InvalidOperationException("stress-ng is not installed (apt-get install stress-ng)");
        var psi = LabShell.StartInfo("sh", ["-c", "echo $$ > \"$1\" && exec \"$2\" --cpu \"$3\" --timeout \"$4\" --quiet", "sh",
            System.IO.Path.Combine(Path, "cgroup.procs"), stress, workers.ToString(CultureInfo.InvariantCulture),
            ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s"]);
        psi.RedirectStandardOutput = false;
        psi.RedirectStandardError = false;
        return Process.Start(psi) ?? throw new InvalidOperationException("cannot start stress-ng");
    }

    /// <summary>The group's CPU time and throttling so far (cpu.stat / cpuacct), for the summary.</summary>
    public (long ThrottledPeriods, long Periods) Throttling()
    {
        long throttled = 0, periods = 0;
        string stat = System.IO.Path.Combine(Path, "cpu.stat");
        if (!File.Exists(stat))
            return (0, 0);
        foreach (string line in File.ReadAllLines(stat))
        {
            string[] kv = line.Split(' ');
            if (kv.Length == 2 && kv[0] == "nr_throttled")
                throttled = long.Parse(kv[1], CultureInfo.InvariantCulture);
            if (kv.Length == 2 && kv[0] == "nr_periods")
                periods = long.Parse(kv[1], CultureInfo.InvariantCulture);
        }
        return (throttled, periods);
    }

    /// <summary>
    /// How long <see cref="Remove"/> waits for the group to empty. A SIGKILLed worker leaves
    /// cgroup.procs once the kernel has reaped it, a moved speaker at once; seconds are room for
    /// a loaded machine, not an expected wait.
    /// </summary>
    public static readonly TimeSpan EmptyDeadline = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Removes a group: stress workers still inside are killed (only stress-ng is ever started
    /// in it), any other process (a speaker) goes back to the hierarchy's root group; once
    /// cgroup.procs is empty the folder goes. False when there was no such group; throws when
    /// the group is not empty by <see cref="EmptyDeadline"/>, naming what is still inside.
    /// </summary>
    public static bool Remove(string path)
    {
        if (!Directory.Exists(path))
            return false;
        string root = System.IO.Path.GetDirectoryName(path)!;
        var clock = Stopwatch.StartNew();
        for (var pids = Pids(path); pids.Count > 0; pids = Pids(path))
        {
            if (clock.Elapsed > EmptyDeadline)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"cgroup {path} still holds {string.Join(", ", pids.Select(p => $"{Comm(p)} (pid {p})"))} {EmptyDeadline.TotalSeconds:0} s after its stress workers were killed and other processes moved to {root}; it is left in place"));
            bool waited = false;
            foreach (int pid in pids)
            {
                long start = ProcInfo.StartTime(pid);
                if (Comm(pid).StartsWith("stress-ng", StringComparison.Ordinal))
                {
                    // Reaped by its parent or init once dead; cgroup.procs drops it then.
                    if (ProcInfo.Signal(pid, start, ProcInfo.SigKill))
                    {
                        ProcInfo.WaitGone(pid, start, EmptyDeadline - clock.Elapsed);
                        waited = true;
                    }
                }
                else
                {
                    TryWrite(System.IO.Path.Combine(root, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
                }
            }
            if (!waited && Pids(path).Count > 0)
                Thread.Sleep(20);   // a listed process that exited, or one not yet moved: no handle to wait on but the list
        }
        try
        {
            Directory.Delete(path);   // rmdir: a cgroup folder's files are not real files
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static List<int> Pids(string path)
    {
        try
        {
            return [.. File.ReadAllLines(System.IO.Path.Combine(path, "cgroup.procs"))
                .Select(l => int.TryParse(l, CultureInfo.InvariantCulture, out int pid) ? pid : 0).Where(p => p > 0)];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static void TryWrite(string file, string text)
    {
        try
        {
            File.WriteAllText(file, text);
        }
        catch (IOException)
        {
            // the process exited meanwhile
        }
    }
}
