using System.Diagnostics;
using System.Globalization;

namespace MetalLb.Net.Controller.Bench;

/// <summary>CPU time and peak resident set of another process, read from /proc as `ps` and `time` do.</summary>
internal static class ProcStats
{
    private static readonly Lazy<double> TicksPerSecond = new(ReadClockTicks);

    /// <summary>utime + stime of <paramref name="pid"/> in seconds (clock-tick resolution, 10 ms at USER_HZ 100).</summary>
    public static double CpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name may hold spaces and parentheses: fields are counted after the last ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15 (proc(5)).
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / TicksPerSecond.Value;
    }

    /// <summary>VmHWM: the highest resident set the process has had, in MiB.</summary>
    public static double PeakRssMiB(int pid) => StatusKiB(pid, "VmHWM:") / 1024.0;

    public static double RssMiB(int pid) => StatusKiB(pid, "VmRSS:") / 1024.0;

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();

    private static long StatusKiB(int pid, string field)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"{field} missing from /proc/{pid}/status");
    }

    // USER_HZ is 100 on every Linux we run on, but ask rather than assume.
    private static double ReadClockTicks()
    {
        using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
        string output = getconf.StandardOutput.ReadToEnd();
        getconf.WaitForExit();
        return double.TryParse(output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out double hz) && hz > 0 ? hz : 100;
    }
}
