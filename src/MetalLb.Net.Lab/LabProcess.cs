using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MetalLb.Net.Lab;

/// <summary>
/// A long-running program the lab started (a speaker, the controller, FRR, tcpdump), with
/// stdout and stderr appended to one log file per program that survives restarts. Signals go
/// to its own PID only: `ip netns exec` execs the command, so the PID is the program's.
/// </summary>
public sealed class LabProcess : IDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int SigCont = 18;

    private readonly Func<ProcessStartInfo> _startInfo;
    private readonly ConcurrentQueue<string> _recent = new();
    private readonly StreamWriter _log;
    private Process? _process;

    public LabProcess(string name, string logPath, Func<ProcessStartInfo> startInfo)
    {
        Name = name;
        LogPath = logPath;
        _startInfo = startInfo;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
    }

    public string Name { get; }

    public string LogPath { get; }

    /// <summary>The PID of the current run (0 before the first start).</summary>
    public int Pid { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Lines seen since the last start, for waiting on a log line.</summary>
    public IReadOnlyCollection<string> RecentLines => _recent;

    /// <summary>Raised for every output line (stdout and stderr), for harnesses that react to output.</summary>
    public event Action<string>? Line;

    public void Start()
    {
        if (IsRunning)
            throw new InvalidOperationException($"{Name} is already running (pid {Pid})");
        _process?.Dispose();
        _recent.Clear();
        var p = Process.Start(_startInfo()) ?? throw new InvalidOperationException($"{Name} did not start");
        _process = p;
        Pid = p.Id;
        Write($"--- {DateTime.UtcNow:HH:mm:ss.fff} started pid {Pid}: {p.StartInfo.FileName} {string.Join(' ', p.StartInfo.ArgumentList)}");
        p.OutputDataReceived += (_, e) => OnLine(e.Data, "");
        p.ErrorDataReceived += (_, e) => OnLine(e.Data, "stderr: ");
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
    }

    /// <summary>SIGKILL, as `kill -9`: no goodbye to gossip or BGP peers. Returns once it is gone.</summary>
    public void Kill() => Signal(SigKill, TimeSpan.FromSeconds(10));

    /// <summary>SIGTERM, as the kubelet stopping a pod; waits up to <paramref name="grace"/>, then SIGKILL.</summary>
    public void Stop(TimeSpan? grace = null)
    {
        if (!IsRunning)
            return;
        if (!Signal(SigTerm, grace ?? TimeSpan.FromSeconds(10)))
            Kill();
    }

    /// <summary>Sends the signal without waiting (a benchmark times what follows it).</summary>
    public void SendSignal(bool graceful)
    {
        if (IsRunning && NativeMethods.kill(Pid, graceful ? SigTerm : SigKill) != 0)
            throw new InvalidOperationException($"kill {Pid} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public void WaitForExit(TimeSpan timeout)
    {
        if (_process is { } p && !p.WaitForExit(timeout))
            throw new TimeoutException($"{Name} (pid {Pid}) did not exit within {timeout}");
        _process?.WaitForExit();   // drains the output readers
    }

    public void Restart(bool graceful = true)
    {
        if (graceful)
            Stop();
        else
            Kill();
        Start();
    }

    /// <summary>The whole log (every run), for a failure message.</summary>
    public string ReadLog()
    {
        lock (_log)
        {
            try
            {
                _log.Flush();
            }
            catch (ObjectDisposedException)
            {
                // Disposed: everything is on disk already.
            }
        }
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd();
    }

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public void Dispose()
    {
        try
        {
            if (IsRunning)
            {
                _ = NativeMethods.kill(Pid, SigCont);   // a test may have frozen it
                Stop(TimeSpan.FromSeconds(5));
            }
        }
        finally
        {
            _process?.Dispose();
            lock (_log)
                _log.Dispose();
        }
    }

    private bool Signal(int signal, TimeSpan wait)
    {
        var p = _process;
        if (p is null || p.HasExited)
            return true;
        if (NativeMethods.kill(Pid, signal) != 0 && !p.HasExited)
            throw new InvalidOperationException($"kill -{signal} {Pid} failed: errno {Marshal.GetLastPInvokeError()}");
        if (!p.WaitForExit(wait))
            return false;
        p.WaitForExit();
        Write($"--- {DateTime.UtcNow:HH:mm:ss.fff} pid {Pid} exited {p.ExitCode} after signal {signal}");
        return true;
    }

    private void OnLine(string? line, string prefix)
    {
        if (line is null)
            return;
        _recent.Enqueue(line);
        Write(prefix + line);
        Line?.Invoke(line);
    }

    private void Write(string line)
    {
        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after disposal; the log is complete without it.
            }
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int kill(int pid, int sig);
    }
}
