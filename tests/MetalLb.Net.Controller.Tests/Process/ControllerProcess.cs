using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// The real `metallb-net-controller` executable, run with `dotnet` from the controller
/// project's own output folder, so these tests see what a user's process does: its flags, its
/// exit codes, its HTTP endpoints. Stopped only by its own PID.
/// </summary>
internal sealed class ControllerProcess : IDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ControllerProcess(System.Diagnostics.Process process, string name, int port)
    {
        _process = process;
        Name = name;
        Port = port;
        Pid = process.Id;   // kept: a disposed Process no longer answers Id
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue("stderr: " + e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The controller's dll, built with the same configuration as these tests when there is one.</summary>
    public static string Dll { get; } = FindDll();

    public string Name { get; }

    public int Port { get; }

    public int Pid { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far (stderr lines prefixed), for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the executable with <paramref name="args"/>; <paramref name="port"/> is only remembered.</summary>
    public static ControllerProcess Start(string name, int port, IEnumerable<string> args) =>
        new(System.Diagnostics.Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("dotnet did not start"), name, port);

    /// <summary>Runs to exit (flag errors, --help), killed if it outlives <paramref name="deadline"/>.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan deadline, params string[] args)
    {
        using var p = System.Diagnostics.Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(deadline);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            Assert.Fail($"metallb-net-controller {string.Join(' ', args)} did not exit within {deadline}:\n{await stdout}\n{await stderr}");
        }
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>An HTTP client for this process's /metrics, /healthz and /readyz.</summary>
    public HttpClient Http() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Polls /readyz until 200; a process that exited fails at once with its output.</summary>
    public async Task WaitReadyAsync()
    {
        using var http = Http();
        await Eventually.True(async () =>
        {
            Assert.False(HasExited, $"controller {Name} exited:\n{Output}");
            try
            {
                return (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;   // not listening yet
            }
            catch (TaskCanceledException)
            {
                return false;   // no answer within the client's timeout: a starved machine, ask again
            }
        }, $"/readyz of {Name} answers 200 (informers synced)");
    }

    /// <summary>SIGKILL, as a crashed pod or `kill -9`: no lease release, no draining.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    /// <summary>A loopback port free a moment ago; the controller binds it shortly after.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        // dotnet test sets DOTNET_HOST_PATH to the host that runs the tests: use the same runtime.
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Dll);
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        // Nothing from the developer's own cluster may leak in.
        psi.Environment.Remove("KUBECONFIG");
        psi.Environment.Remove("METALLB_NAMESPACE");
        psi.Environment.Remove("POD_NAME");
        return psi;
    }

    private static string FindDll()
    {
        // The test binaries live in .../bin/<Configuration>/net10.0/: prefer the controller built the same way.
        string own = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        string bin = Path.Combine(RepoPaths.Root, "src", "MetalLb.Net.Controller", "bin");
        var candidates = new[] { own, "Release", "Debug" }.Distinct()
            .Select(c => Path.Combine(bin, c, "net10.0", "metallb-net-controller.dll"))
            .ToList();
        return candidates.FirstOrDefault(File.Exists)
               ?? throw new InvalidOperationException($"metallb-net-controller.dll not built; looked in {string.Join(", ", candidates)}");
    }
}
