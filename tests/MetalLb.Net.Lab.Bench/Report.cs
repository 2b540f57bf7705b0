using System.Globalization;
using System.Text;

namespace MetalLb.Net.Lab.Bench;

/// <summary>The markdown the harness prints and docs/benchmarks.md quotes.</summary>
internal static class Report
{
    public static string Markdown(IReadOnlyList<Trial> trials, int rounds, string loadBefore, string loadAfter, TimeSpan took, IEnumerable<Scenario> scenarios)
    {
        var sb = new StringBuilder();
        var loads = trials.Select(t => t.Load).Where(l => !double.IsNaN(l)).ToList();
        sb.Append(CultureInfo.InvariantCulture,
            $"{rounds} round(s), the trials column says how many per cell, in {took.TotalMinutes:0.0} min on {Environment.ProcessorCount} CPUs; load average before {loadBefore}, after {loadAfter}");
        if (loads.Count > 0)
            sb.Append(CultureInfo.InvariantCulture, $"; 1-min load at the trials' starts: median {Stats.Percentile(loads, 0.5):0.0}, min {loads.Min():0.0}, max {loads.Max():0.0}");
        sb.Append(".\n\n");
        sb.Append("| scenario | variant | trials | client outage, median / p99 (ms) | new node answering after, median / p99 (ms) | no failover in 60 s | start not settled |\n");
        sb.Append("|---|---|---|---|---|---|---|\n");
        foreach (var s in scenarios)
        {
            foreach (var cell in trials.Where(t => t.Scenario == s.Name).GroupBy(t => t.Variant))
            {
                var outage = cell.Select(t => t.OutageMs).ToList();
                var switched = cell.Where(t => t.SwitchMs is not null).Select(t => t.SwitchMs!.Value).ToList();
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {s.Name} | {cell.Key} | {outage.Count} | {Stats.Ms(Stats.Percentile(outage, 0.5))} / {Stats.Ms(Stats.Percentile(outage, 0.99))} | {Stats.Ms(Stats.Percentile(switched, 0.5))} / {Stats.Ms(Stats.Percentile(switched, 0.99))} | {outage.Count - switched.Count} | {cell.Count(t => !t.Settled)} |\n");
            }
        }
        return sb.ToString();
    }
}
