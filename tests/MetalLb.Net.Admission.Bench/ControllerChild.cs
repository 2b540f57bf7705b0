using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Admission.Bench;

/// <summary>The real metallb-net-controller with its webhooks on, as a child process stopped by its own PID.</summary>
internal sealed class ControllerChild : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();

    private ControllerChild(Process process, int port, int webhookPort)
    {
        _process = process;
        Port = port;
        WebhookPort = webhookPort;
    }

    public static string Binary => Path.Combine(RepoPaths.Root, "src", "MetalLb.Net.Controller", "bin", "Release", "net10.0", "metallb-net-controller");

    public int Port { get; }

    public int WebhookPort { get; }

    public int Pid => _process.Id;

    public static ControllerChild Start(string kubeconfig)
    {
        int port = FreePort(), webhookPort = FreePort();
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["--kubeconfig", kubeconfig, "--namespace", "metallb-system", "--port", port.ToString(CultureInfo.InvariantCulture),
                     "--metrics-bind-address", "127.0.0.1", "--identity", "admission-bench", "--log-level", "info", "--webhook-mode=enabled",
                     "--webhook-port", webhookPort.ToString(CultureInfo.InvariantCulture), "--webhook-bind-address", "127.0.0.1"])
            info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("the controller did not start");
        var child = new ControllerChild(process, port, webhookPort);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Until /readyz answers 200 (the webhook's certificate is injected), or the deadline.</summary>
    public async Task WaitReadyAsync(TimeSpan deadline)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the controller exited ({_process.ExitCode}):\n{Tail()}");
            try
            {
                if ((await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow under load; ask again.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the controller was not ready after {deadline}:\n{Tail()}");
    }

    public string Tail() => string.Join('\n', _tail.TakeLast(20));

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _tail.Enqueue(line);
        while (_tail.Count > 50)
            _tail.TryDequeue(out _);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

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
