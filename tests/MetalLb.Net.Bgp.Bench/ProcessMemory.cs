using System.Globalization;

namespace MetalLb.Net.Bgp.Bench;

/// <summary>
/// The process's resident set from /proc/self/status, and its high-water mark, which Linux
/// lets a process reset (writing 5 to /proc/self/clear_refs, proc(5)), so the peak of one phase
/// can be read without the phases before it.
/// </summary>
internal static class ProcessMemory
{
    public static long ResidentBytes => Read("VmRSS:");

    public static long PeakResidentBytes => Read("VmHWM:");

    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>A full blocking, compacting collection, so the managed heap holds only live objects.</summary>
    public static long LiveManagedBytes()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"{field} not in /proc/self/status");
    }
}
