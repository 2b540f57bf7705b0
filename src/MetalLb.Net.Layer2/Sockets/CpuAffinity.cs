using System.Globalization;
using System.Runtime.InteropServices;

namespace MetalLb.Net.Layer2.Sockets;

/// <summary>
/// Which CPUs exist, and pinning the calling thread to one of them (sched_setaffinity(2)). Used
/// by the per-CPU receive lanes: a reader pinned to the CPU whose softirq queued the frame is
/// woken there, by a local wake-up, instead of by an inter-processor interrupt to another
/// (often halted) CPU.
/// </summary>
internal static partial class CpuAffinity
{
    // glibc's cpu_set_t: 1024 bits. The kernel accepts any length covering nr_cpu_ids.
    private const int CpuSetBytes = 128;

    /// <summary>
    /// One more than the highest online CPU id: PACKET_FANOUT_CPU sends a frame to member
    /// (smp_processor_id() % members), so with this many members member i gets CPU i's frames.
    /// </summary>
    public static int CpuSlots()
    {
        try
        {
            // e.g. "0-1" or "0,2-7" (cpu/online in the kernel's sysfs ABI)
            var online = File.ReadAllText("/sys/devices/system/cpu/online").Trim();
            int highest = online.Split(',')
                .Select(range => int.Parse(range[(range.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture))
                .Max();
            return highest + 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return Environment.ProcessorCount;
        }
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; false when not allowed (cpuset) or offline.</summary>
    public static bool TryPinCurrentThread(int cpu)
    {
        if (cpu < 0 || cpu >= CpuSetBytes * 8)
            return false;
        Span<byte> mask = stackalloc byte[CpuSetBytes];
        mask.Clear();
        mask[cpu / 8] = (byte)(1 << (cpu % 8));
        // pid 0 is the calling thread (a .NET Thread is one OS thread for its whole life).
        return SchedSetAffinity(0, CpuSetBytes, ref MemoryMarshal.GetReference(mask)) == 0;
    }

    /// <summary>The CPU the calling thread runs on now.</summary>
    public static int CurrentCpu() => SchedGetCpu();

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nint size, ref byte mask);

    [LibraryImport("libc", EntryPoint = "sched_getcpu")]
    private static partial int SchedGetCpu();
}
