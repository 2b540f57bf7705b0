using System.Diagnostics;
using System.Reflection;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Controller.Bench;

/// <summary>
/// The real `metallb-net-controller` (this configuration's build output) as a child process,
/// so its CPU time and peak RSS are its own and not the harness's, which hosts the emulator.
/// Its JSON log lines tell when caches synced and when the first configuration was loaded.
/// </summary>
internal sealed class ControllerProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<long> _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<long> _configLoaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _tail = [];
    private int _warnings;

    private ControllerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>Stopwatch timestamp of Process.Start returning.</summary>
    public long Started { get; private set; }

    /// <summary>Stopwatch timestamp at which the "caches synced" line was read.</summary>
    public Task<long> Synced => _synced.Task;

    /// <summary>Stopwatch timestamp at which "configuration loaded" was read: the leader has pools and decides from now on.</summary>
    public Task<long> ConfigLoaded => _configLoaded.Task;

    /// <summary>Log lines at Warning or above (failed writes are logged as warnings).</summary>
    public int Warnings => Volatile.Read(ref _warnings);

    public static string Binary
    {
        get
        {
            // bin/<Configuration>/net10.0 of src/MetalLb.Net.Controller, the same configuration as this harness.
            string configuration = typeof(ControllerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            return Path.Combine(RepoPaths.Root, "src", "MetalLb.Net.Controller", "bin", configuration, "net10.0", "metallb-net-controller");
        }
    }

    /// <summary>
    /// Leader election stays on, as deployed (--leader-elect defaults to true): on a fresh
    /// emulator the first campaign takes the free Lease at once.
    /// </summary>
    public static ControllerProcess Start(string kubeconfig)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "--kubeconfig", kubeconfig, "--port", "0", "--namespace", "metallb-system", "--identity", "bench", "--log-level", "info" })
            info.ArgumentList.Add(arg);
        // CONTROLLER_DOTNET_X=v reaches the controller alone as DOTNET_X=v (runtime knobs for
        // experiments: GC, thread pool), leaving the harness and its emulator as they are.
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string key && key.StartsWith("CONTROLLER_DOTNET_", StringComparison.Ordinal))
                info.Environment[key["CONTROLLER_".Length..]] = e.Value as string;
        }
        var process = new Process { StartInfo = info };
        var controller = new ControllerProcess(process);
        process.OutputDataReceived += (_, e) => controller.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => controller.OnLine(e.Data);
        process.Start();
        controller.Started = Stopwatch.GetTimestamp();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return controller;
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        long now = Stopwatch.GetTimestamp();
        if (line.Contains("caches synced", StringComparison.Ordinal))
            _synced.TrySetResult(now);
        if (line.Contains("configuration loaded", StringComparison.Ordinal))
            _configLoaded.TrySetResult(now);
        if (line.Contains("\"LogLevel\":\"Warning\"", StringComparison.Ordinal) || line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal))
            Interlocked.Increment(ref _warnings);
        lock (_tail)
        {
            _tail.Add(line);
            if (_tail.Count > 20)
                _tail.RemoveAt(0);
        }
    }

    /// <summary>The last lines it printed, for a failure message.</summary>
    public string Tail()
    {
        lock (_tail)
            return string.Join('\n', _tail);
    }

    /// <summary>Waits for <paramref name="step"/>, or throws with the controller's last lines if it exits or takes too long.</summary>
    public async Task<T> WaitAsync<T>(Task<T> step, TimeSpan timeout, string what, Func<string>? progress = null)
    {
        Task exited = _process.WaitForExitAsync();
        Task first = await Task.WhenAny(step, exited, Task.Delay(timeout)).ConfigureAwait(false);
        if (first == step)
            return await step.ConfigureAwait(false);
        string why = first == exited ? $"the controller exited ({_process.ExitCode})" : $"no {what} after {timeout.TotalSeconds:F0} s ({progress?.Invoke()})";
        throw new InvalidOperationException($"{why} while waiting for {what}; its last lines:\n{Tail()}");
    }

    public double CpuSeconds() => ProcStats.CpuSeconds(Pid);

    public double PeakRssMiB() => ProcStats.PeakRssMiB(Pid);

    /// <summary>Our own child, stopped by its PID: nothing is left for it to do and its figures are read.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
