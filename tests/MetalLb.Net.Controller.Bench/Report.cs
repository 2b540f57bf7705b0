using System.Globalization;
using System.Text;

namespace MetalLb.Net.Controller.Bench;

/// <summary>Markdown tables of every round and their medians, for docs/benchmarks-controller.md.</summary>
internal static class Report
{
    public static string Write(IReadOnlyList<RoundResult> rounds, int count)
    {
        var md = new StringBuilder();
        md.AppendLine(Inv($"### Run of {rounds[0].At:yyyy-MM-dd HH:mm} UTC: {rounds.Count} rounds, {count:N0} Services, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
        md.AppendLine();
        string warm = Environment.GetEnvironmentVariable("BENCH_WARMUP") is { Length: > 0 } w && w != "0" ? $" after a warm-up of {w} Services (BENCH_WARMUP)" : "";
        md.AppendLine(Inv($"Created while the controller runs{warm} (ms from the first create; CPU in s; load = /proc/loadavg 1-min before → after the round):"));
        md.AppendLine();
        md.AppendLine("| round | load | creates returned | all allocated | all annotated | controller CPU to allocated | CPU until settled | then idle (CPU s/s, 3 s) | start-up CPU | peak RSS (MiB) | harness CPU to allocated |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rounds)
        {
            var x = r.Running;
            md.AppendLine(Inv($"| {r.Round} | {Load(r.LoadBefore)} → {Load(r.LoadAfter)} | {x.CreatesMs:F0} | {x.AllocatedMs:F0} | {x.AnnotatedMs:F0} | {x.CpuToAllocated:F2} | {x.CpuSettled:F2} | {x.IdleCpuPerSecond:F2} | {x.CpuStartup:F2} | {x.PeakRssMiB:F1} | {x.HarnessCpu:F2} |"));
        }
        md.AppendLine(Inv($"| **median** | | {M(rounds, r => r.Running.CreatesMs):F0} | **{M(rounds, r => r.Running.AllocatedMs):F0}** | {M(rounds, r => r.Running.AnnotatedMs):F0} | {M(rounds, r => r.Running.CpuToAllocated):F2} | {M(rounds, r => r.Running.CpuSettled):F2} | {M(rounds, r => r.Running.IdleCpuPerSecond):F2} | {M(rounds, r => r.Running.CpuStartup):F2} | {M(rounds, r => r.Running.PeakRssMiB):F1} | {M(rounds, r => r.Running.HarnessCpu):F2} |"));
        md.AppendLine();

        string[] kinds = [.. rounds[0].Baselines.Select(b => b.What)];
        md.AppendLine("Baseline, same emulator after the controller stopped: the harness's own writes to " + Inv($"{count:N0}") + " fresh Services (ms from the first write; \"returned\" = the last write answered, \"seen\" = the harness's watch saw every ingress):");
        md.AppendLine();
        md.AppendLine("| round | creates alone | " + string.Join(" | ", kinds.Select(k => $"{k} returned / seen")) + " |");
        md.AppendLine("|---|---:|" + string.Concat(kinds.Select(_ => "---:|")));
        foreach (var r in rounds)
            md.AppendLine(Inv($"| {r.Round} | {r.Baselines[0].CreatesMs:F0} | ") + string.Join(" | ", kinds.Select(k => Inv($"{r.Baseline(k).WritesMs:F0} / {r.Baseline(k).SeenMs:F0}"))) + " |");
        md.AppendLine(Inv($"| **median** | {M(rounds, r => r.Baselines[0].CreatesMs):F0} | ") + string.Join(" | ", kinds.Select(k => Inv($"{M(rounds, r => r.Baseline(k).WritesMs):F0} / {M(rounds, r => r.Baseline(k).SeenMs):F0}"))) + " |");
        md.AppendLine();
        md.AppendLine("Harness CPU (s) for those writes, client and emulator together, from the first write until seen: " + string.Join("; ", kinds.Select(k =>
            Inv($"{k} {M(rounds, r => r.Baseline(k).HarnessCpu):F2}"))) + " (medians).");
        md.AppendLine();

        md.AppendLine("Against the target: the controller's share is \"all allocated\" minus the creates alone; it \"adds\" what is left after the harness's own writes (\"seen\"), 8 in flight. Target: adds < writes, i.e. adds ÷ writes < 1.");
        md.AppendLine();
        string[] parallel = [.. kinds.Where(k => k.EndsWith("x8", StringComparison.Ordinal))];
        md.AppendLine("| round | controller's share | " + string.Join(" | ", parallel.Select(k => $"{k}: writes / adds / ÷")) + " |");
        md.AppendLine("|---|---:|" + string.Concat(parallel.Select(_ => "---:|")));
        foreach (var r in rounds)
            md.AppendLine(Inv($"| {r.Round} | {Share(r):F0} | ") + string.Join(" | ", parallel.Select(k => Target(r, k))) + " |");
        md.AppendLine(Inv($"| **median** | {M(rounds, Share):F0} | ") + string.Join(" | ", parallel.Select(k =>
            Inv($"{M(rounds, r => r.Baseline(k).SeenMs):F0} / {M(rounds, r => Share(r) - r.Baseline(k).SeenMs):F0} / **{M(rounds, r => (Share(r) - r.Baseline(k).SeenMs) / r.Baseline(k).SeenMs):F2}**"))) + " |");
        md.AppendLine();

        md.AppendLine(Inv($"Cold start, {count:N0} Services there before the controller (ms from Process.Start; CPU in s, start-up included):"));
        md.AppendLine();
        md.AppendLine("| round | caches synced | all allocated | all annotated | CPU to allocated | CPU until settled | peak RSS (MiB) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rounds)
        {
            var c = r.Cold;
            md.AppendLine(Inv($"| {r.Round} | {c.SyncedMs:F0} | {c.AllocatedMs:F0} | {c.AnnotatedMs:F0} | {c.CpuToAllocated:F2} | {c.CpuSettled:F2} | {c.PeakRssMiB:F1} |"));
        }
        md.AppendLine(Inv($"| **median** | {M(rounds, r => r.Cold.SyncedMs):F0} | **{M(rounds, r => r.Cold.AllocatedMs):F0}** | {M(rounds, r => r.Cold.AnnotatedMs):F0} | {M(rounds, r => r.Cold.CpuToAllocated):F2} | {M(rounds, r => r.Cold.CpuSettled):F2} | {M(rounds, r => r.Cold.PeakRssMiB):F1} |"));
        md.AppendLine();

        md.AppendLine("Requests the emulator served from the first create until the controller settled (all clients; the harness made the creates and its one watch), per round:");
        md.AppendLine();
        var keys = rounds.SelectMany(r => r.Running.Requests.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        md.AppendLine("| request | " + string.Join(" | ", rounds.Select(r => $"round {r.Round}")) + " |");
        md.AppendLine("|---|" + string.Concat(rounds.Select(_ => "---:|")));
        foreach (string k in keys)
            md.AppendLine($"| {k} | " + string.Join(" | ", rounds.Select(r => r.Running.Requests.GetValueOrDefault(k).ToString(CultureInfo.InvariantCulture))) + " |");
        md.AppendLine();
        md.AppendLine("Timeline of the median round (by \"all allocated\"): when the first and the last request of each kind finished, ms from the first create:");
        md.AppendLine();
        var median = rounds.OrderBy(r => r.Running.AllocatedMs).ElementAt(rounds.Count / 2);
        md.AppendLine(Inv($"| request (round {median.Round}) | first | last |"));
        md.AppendLine("|---|---:|---:|");
        foreach (var (k, t) in median.Running.Timeline.OrderBy(kv => kv.Value.LastMs))
            md.AppendLine(Inv($"| {k} | {t.FirstMs:F0} | {t.LastMs:F0} |"));
        md.AppendLine(Inv($"| (all allocated, seen by the harness) | | {median.Running.AllocatedMs:F0} |"));
        md.AppendLine();
        md.AppendLine(Inv($"Controller warnings logged: {string.Join(", ", rounds.Select(r => r.Running.ControllerWarnings))}."));
        md.AppendLine(Inv($"Verified every round (running and cold): {rounds[0].Running.Verified}."));
        return md.ToString();
    }

    private static string Target(RoundResult r, string kind)
    {
        double w = r.Baseline(kind).SeenMs, adds = Share(r) - w;
        return Inv($"{w:F0} / {adds:F0} / {adds / w:F2}");
    }

    private static double Share(RoundResult r) => r.Running.AllocatedMs - r.Baselines[0].CreatesMs;

    private static string Load(string loadavg) => loadavg.Split(' ')[0];

    private static double M(IReadOnlyList<RoundResult> rounds, Func<RoundResult, double> f)
    {
        var v = rounds.Select(f).Order().ToList();
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
