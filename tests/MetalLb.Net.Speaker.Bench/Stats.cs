using System.Globalization;

namespace MetalLb.Net.Speaker.Bench;

/// <summary>One configuration's failover times.</summary>
internal sealed record FailoverResult(string Profile, string Signal, IReadOnlyList<double> Milliseconds, int Failed)
{
    public double Median => Percentile(0.5);

    /// <summary>The same trials timed to an earlier bound, when the harness has one.</summary>
    public FailoverResult? Lower { get; init; }

    public double P99 => Percentile(0.99);

    /// <summary>Nearest-rank percentile.</summary>
    public double Percentile(double p)
    {
        if (Milliseconds.Count == 0)
            return double.NaN;
        var sorted = Milliseconds.Order().ToList();
        int rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Profile} | {Signal} | {Milliseconds.Count} | {Median:F0} | {P99:F0} | {(Milliseconds.Count > 0 ? Milliseconds.Min() : double.NaN):F0} | {(Milliseconds.Count > 0 ? Milliseconds.Max() : double.NaN):F0} | {Failed} |");

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
