using System.Globalization;
using System.Runtime.InteropServices;

namespace MetalLb.Net.Lab;

/// <summary>
/// A process by PID as /proc shows it. A PID is only signalled when its start time still
/// matches the one recorded, so a PID the kernel gave to someone else since is left alone.
/// </summary>
public static class ProcInfo
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Field 22 of /proc/PID/stat (clock ticks after boot), or 0 when the process is gone.</summary>
    public static long StartTime(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count after the last ')'.
            string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(rest[19], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>True while the process recorded as (pid, startTime) runs (a zombie counts as gone).</summary>
    public static bool IsAlive(int pid, long startTime)
    {
        if (pid <= 0 || StartTime(pid) != startTime)
            return false;
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')')..].Split(' ')[1] != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Sends a signal if the process is still the one recorded; true when it was sent.</summary>
    public static bool Signal(int pid, long startTime, int signal) =>
        IsAlive(pid, startTime) && NativeMethods.kill(pid, signal) == 0;

    /// <summary>Waits for the process to go (polling /proc) up to <paramref name="timeout"/>; true when gone.</summary>
    public static bool WaitGone(int pid, long startTime, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (IsAlive(pid, startTime))
        {
            if (DateTime.UtcNow > until)
                return false;
            Thread.Sleep(20);   // polling another process's exit: there is no handle to wait on
        }
        return true;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int kill(int pid, int sig);
    }
}
