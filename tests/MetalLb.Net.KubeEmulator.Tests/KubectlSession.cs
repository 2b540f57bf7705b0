using System.Diagnostics;
using System.Text;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// kubectl pointed at one emulator: its own kubeconfig and --cache-dir in a temp folder (so
/// discovery caches never leak between tests), each run bounded by a deadline.
/// </summary>
public sealed class KubectlSession : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _dir;
    private readonly string _binary;

    public KubectlSession(string binary, EmulatorServer server)
    {
        _binary = binary;
        _dir = Directory.CreateTempSubdirectory("kubectl-emu-").FullName;
        server.WriteKubeconfig(Kubeconfig);
    }

    public string Kubeconfig => Path.Combine(_dir, "kubeconfig");

    /// <summary>Where to note each command and how long it took (test output), when set.</summary>
    public Action<string>? Log { get; set; }

    public string Folder => _dir;

    public async Task<KubectlResult> RunAsync(params string[] args)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var process = Start(args, stdin: null);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within {Deadline}");
        }
        return new KubectlResult(process.ExitCode, await stdout, await stderr, string.Join(' ', args), started.Elapsed);
    }

    /// <summary>Runs and fails the test with kubectl's output when it does not exit 0.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Log?.Invoke($"kubectl {r.Command[..Math.Min(r.Command.Length, 60)]} took {r.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(r.ExitCode == 0, $"kubectl {r.Command} exited {r.ExitCode}\nstdout: {r.Stdout}\nstderr: {r.Stderr}");
        return r.Stdout;
    }

    /// <summary>Starts a long-running kubectl (get -w); the caller stops it by disposing.</summary>
    public Process Start(string[] args, string? stdin)
    {
        var psi = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(Kubeconfig);
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(Path.Combine(_dir, "cache"));
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = _dir;
        psi.Environment.Remove("KUBECONFIG");
        return Process.Start(psi) ?? throw new InvalidOperationException("kubectl did not start");
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}

public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr, string Command, TimeSpan Elapsed);
