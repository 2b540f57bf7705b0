using System.Diagnostics;

namespace MetalLb.Net.Kube.Bench;

/// <summary>Runs a timed step several times and keeps the median, so one GC pause does not decide the figure.</summary>
internal static class Measure
{
    public static async Task<TimeSpan> MedianAsync(int runs, Func<Task> step)
    {
        var times = new List<TimeSpan>();
        for (int i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var watch = Stopwatch.StartNew();
            await step();
            times.Add(watch.Elapsed);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>As <see cref="MedianAsync"/>, for steps that time themselves.</summary>
    public static async Task<TimeSpan> MedianOfAsync(int runs, Func<Task<TimeSpan>> step)
    {
        var times = new List<TimeSpan>();
        for (int i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            times.Add(await step());
        }
        times.Sort();
        return times[times.Count / 2];
    }

    public static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Rate(int count, TimeSpan t) =>
        (count / t.TotalSeconds).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
