using System.Globalization;

namespace MetalLb.Net.Lab.Bench;

/// <summary>One failover trial: what the client saw.</summary>
/// <param name="OutageMs">The longest run of failed requests (LabFailover).</param>
/// <param name="SwitchMs">From the action to the first of the final run of answers from another node; null: no failover within 60 s.</param>
/// <param name="Settled">Whether the system had settled (within the deadline) before this trial started.</param>
internal sealed record Trial(string Scenario, string Variant, int Index, string Owner, string? NewOwner, double OutageMs, double? SwitchMs,
    int Failed, bool Settled, double Load);

internal static class Stats
{
    /// <summary>Nearest-rank percentile (p in 0..1) of a non-empty list; NaN when empty.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
            return double.NaN;
        var sorted = values.Order().ToList();
        int rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static string Ms(double v) => double.IsNaN(v) ? "-" : v.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>The 1-minute load average from /proc/loadavg.</summary>
    public static double Load() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;

    public static string LoadAverages() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
