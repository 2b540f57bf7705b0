using System.Globalization;

namespace MetalLb.Net.Lab;

/// <summary>
/// `lab down`: asks the running lab to remove itself (SIGTERM), then removes whatever is still
/// there, also after a crash: every recorded process still running (by PID and start time),
/// every process inside the lab's namespaces, the namespaces (recorded, and any left with the
/// lab's prefix), the kubeconfigs and the lab's folder. Says what it removed.
/// </summary>
public static class LabTeardown
{
    /// <summary>What was found and removed; Nothing when no trace of the lab existed.</summary>
    public sealed record Outcome(bool Nothing, IReadOnlyList<string> Removed, IReadOnlyList<string> Left);

    /// <summary>
    /// The folders outside its own that the lab created (the pods' token mount point), removed
    /// when empty and no other lab is there that may still mount on them. Returns what went.
    /// </summary>
    public static IReadOnlyList<string> RemoveCreatedDirs(LabState? state, string name)
    {
        var removed = new List<string>();
        if (state is null || state.CreatedDirs.Count == 0)
            return removed;
        // Another helm lab may have pods with the token mounted there; direct labs never use it.
        bool others = Directory.Exists(LabPaths.RunRoot)
            && Directory.EnumerateDirectories(LabPaths.RunRoot).Select(Path.GetFileName).OfType<string>()
                .Any(other => other != name && LabState.Read(other)?.Install == LabInstall.Helm);
        if (others)
            return removed;
        foreach (string dir in state.CreatedDirs.OrderByDescending(d => d.Length))
        {
            if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
            {
                Directory.Delete(dir);
                removed.Add(dir);
            }
        }
        return removed;
    }

    public static Outcome Down(string name, Action<string> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var state = LabState.Read(name);
        string prefix = LabPaths.Prefix(name) + "-";
        var namespaces = LabNamespaces(prefix);
        bool dirExists = Directory.Exists(LabPaths.Dir(name));
        if (state is null && namespaces.Count == 0 && !dirExists)
            return new Outcome(true, [], []);

        // `lab soak`/`lab partition` leftovers (CPU cgroups, stress-ng, nftables tables) first:
        // their record lives in the lab's folder, which the lab's own shutdown deletes.
        var cgroupsLeft = new List<string>();
        var removed = new List<string>(LabSoakRecord.RemoveAll(name, cgroupsLeft));
        if (state is not null && ProcInfo.IsAlive(state.DaemonPid, state.DaemonStartTime))
        {
            progress($"stopping the lab (pid {state.DaemonPid}); it removes its processes, namespaces and files");
            ProcInfo.Signal(state.DaemonPid, state.DaemonStartTime, ProcInfo.SigTerm);
            if (!ProcInfo.WaitGone(state.DaemonPid, state.DaemonStartTime, TimeSpan.FromSeconds(60)))
            {
                progress("the lab did not stop within 60 s; killing it");
                ProcInfo.Signal(state.DaemonPid, state.DaemonStartTime, ProcInfo.SigKill);
                ProcInfo.WaitGone(state.DaemonPid, state.DaemonStartTime, TimeSpan.FromSeconds(10));
            }
            removed.Add(string.Create(CultureInfo.InvariantCulture, $"lab process {state.DaemonPid}"));
        }
        else if (state is not null)
        {
            progress($"the lab's process ({state.DaemonPid}) is gone (crashed or killed); removing what it left");
        }

        // What a crashed lab left: its children by PID (the controller, speakers, FRR) ...
        foreach (var p in state?.Processes ?? [])
        {
            if (ProcInfo.Signal(p.Pid, p.StartTime, ProcInfo.SigKill))
            {
                ProcInfo.WaitGone(p.Pid, p.StartTime, TimeSpan.FromSeconds(10));
                removed.Add(string.Create(CultureInfo.InvariantCulture, $"{p.Name} (pid {p.Pid})"));
            }
        }
        // ... anything else still running inside its namespaces (only the lab starts processes there) ...
        foreach (string ns in LabNamespaces(prefix).Union(state?.Namespaces ?? []).ToList())
        {
            foreach (int pid in PidsIn(ns))
            {
                long start = ProcInfo.StartTime(pid);
                if (ProcInfo.Signal(pid, start, ProcInfo.SigKill))
                {
                    ProcInfo.WaitGone(pid, start, TimeSpan.FromSeconds(10));
                    removed.Add(string.Create(CultureInfo.InvariantCulture, $"process {pid} in {ns}"));
                }
            }
            if (LabShell.Run("ip", "netns", "del", ns).ExitCode == 0)
                removed.Add($"namespace {ns}");
        }
        // ... and its files.
        removed.AddRange(RemoveCreatedDirs(state, name));
        foreach (string file in state?.Kubeconfigs ?? [])
        {
            if (File.Exists(file))
            {
                File.Delete(file);
                removed.Add(file);
            }
        }
        if (Directory.Exists(LabPaths.Dir(name)))
        {
            Directory.Delete(LabPaths.Dir(name), recursive: true);
            removed.Add(LabPaths.Dir(name));
        }
        var left = LabNamespaces(prefix).Select(ns => $"namespace {ns}")
            .Concat((state?.Processes ?? []).Where(p => ProcInfo.IsAlive(p.Pid, p.StartTime)).Select(p => $"{p.Name} (pid {p.Pid})"))
            .Concat(cgroupsLeft)
            .ToList();
        return new Outcome(false, removed, left);
    }

    /// <summary>The namespaces named with the lab's prefix (`ip netns list`).</summary>
    public static IReadOnlyList<string> LabNamespaces(string prefix) =>
        [.. LabShell.Run("ip", "netns", "list").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0]).Where(ns => ns.StartsWith(prefix, StringComparison.Ordinal))];

    private static IEnumerable<int> PidsIn(string ns) =>
        LabShell.Run("ip", "netns", "pids", ns).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.TryParse(l.Trim(), CultureInfo.InvariantCulture, out int pid) ? pid : 0).Where(pid => pid > 0);
}
