using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetalLb.Net.Lab;

/// <summary>
/// What `lab soak` and `lab partition` add to a running lab (nftables tables, CPU cgroups, the
/// stress-ng processes in them), written to chaos.json in the lab's folder before each is made,
/// so the verb's own cleanup, Ctrl-C, and `lab down` after a crash all remove it. A file of its
/// own, not state.json: the `lab up` process rewrites state.json from memory whenever it
/// restarts a daemon, which would drop entries another process added.
/// </summary>
public sealed record LabSoakRecord
{
    public List<LabSoakTable> Tables { get; set; } = [];

    /// <summary>Cgroup folders made for CPU stress (removed after their processes left).</summary>
    public List<string> Cgroups { get; set; } = [];

    /// <summary>stress-ng processes (PID and start time, so a reused PID is never signalled).</summary>
    public List<LabStateProcess> Processes { get; set; } = [];

    public static string PathOf(string lab) => Path.Combine(LabPaths.Dir(lab), "chaos.json");

    public static LabSoakRecord Read(string lab)
    {
        string path = PathOf(lab);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), LabSoakRecordJson.Default.LabSoakRecord) ?? new() : new();
        }
        catch (JsonException)
        {
            return new();
        }
    }

    /// <summary>Adds to the record on disk (read, change, write atomically) under a lock file, as soak and partition may run together.</summary>
    public static void Update(string lab, Action<LabSoakRecord> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        string path = PathOf(lab);
        using var gate = Lock(path + ".lock");
        var record = Read(lab);
        change(record);
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(record, LabSoakRecordJson.Default.LabSoakRecord));
        File.Move(tmp, path, overwrite: true);
    }

    private static FileStream Lock(string path)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                Thread.Sleep(10);   // another verb holds the record for a few microseconds
            }
        }
    }

    /// <summary>
    /// Removes everything recorded: stress processes, then the cgroups (a process still inside,
    /// such as a speaker, goes back to the root group first), then the nftables tables. Returns
    /// what it removed, for `lab down`'s report; a cgroup that would not empty goes into
    /// <paramref name="left"/> with the reason, and the rest is removed all the same.
    /// </summary>
    public static IReadOnlyList<string> RemoveAll(string lab, List<string> left)
    {
        ArgumentNullException.ThrowIfNull(left);
        var removed = new List<string>();
        if (!File.Exists(PathOf(lab)))
            return removed;
        var record = Read(lab);
        foreach (var p in record.Processes)
        {
            if (ProcInfo.Signal(p.Pid, p.StartTime, ProcInfo.SigKill))
            {
                ProcInfo.WaitGone(p.Pid, p.StartTime, TimeSpan.FromSeconds(10));
                removed.Add(string.Create(CultureInfo.InvariantCulture, $"{p.Name} (pid {p.Pid})"));
            }
        }
        foreach (string group in record.Cgroups)
        {
            try
            {
                if (CpuStressGroup.Remove(group))
                    removed.Add($"cgroup {group}");
            }
            catch (InvalidOperationException e)
            {
                left.Add(e.Message);
            }
        }
        foreach (var t in record.Tables)
        {
            if (Nftables.DeleteTable(t.Namespace, t.Family, t.Table))
                removed.Add($"nftables table {t.Family} {t.Table} in {t.Namespace}");
        }
        File.Delete(PathOf(lab));
        return removed;
    }

    /// <summary>Forgets entries the verb removed itself.</summary>
    public static void Forget(string lab, IEnumerable<LabSoakTable> tables, IEnumerable<string> cgroups, IEnumerable<int> pids)
    {
        var t = tables.ToHashSet();
        var c = cgroups.ToHashSet(StringComparer.Ordinal);
        var p = pids.ToHashSet();
        if (!Directory.Exists(LabPaths.Dir(lab)))
            return;
        Update(lab, r =>
        {
            r.Tables.RemoveAll(t.Contains);
            r.Cgroups.RemoveAll(c.Contains);
            r.Processes.RemoveAll(x => p.Contains(x.Pid));
        });
    }
}

/// <summary>One nftables table in one namespace.</summary>
public sealed record LabSoakTable(string Namespace, string Family, string Table);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(LabSoakRecord))]
internal sealed partial class LabSoakRecordJson : JsonSerializerContext;
