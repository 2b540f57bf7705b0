using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace MetalLb.Net.Hosting.Tests;

/// <summary>
/// Our exposition checked by Prometheus' own tools: promtool's parser and linter, and a real
/// Prometheus server scraping it on loopback (Debian's prometheus package, installed by
/// scripts/install/prometheus.sh).
/// </summary>
public sealed class PrometheusToolTests
{
    [Fact]
    public async Task Promtool_finds_no_errors_only_upstreams_legacy_names()
    {
        await using var host = await MetricsHost.StartAsync();
        host.RecordControllerMetrics();
        using var http = new HttpClient { BaseAddress = host.Address };
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var (code, output) = await RunAsync(Tool("promtool"), ["check", "metrics"], stdin: text);
        // 0 = clean, 3 = lint notes only, 1 = parse errors. The only notes allowed are about
        // upstream's own legacy names (a gauge named *_total), which dashboards depend on.
        Assert.True(code is 0 or 3, $"promtool exit {code}:\n{output}");
        var notes = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(notes, n => Assert.Matches("^metallb_allocator_addresses(_in_use)?_total non-counter metrics should not have \"_total\" suffix$", n));
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_our_metrics()
    {
        await using var host = await MetricsHost.StartAsync();
        host.RecordControllerMetrics();
        var dir = Directory.CreateTempSubdirectory("mlb-prom-");
        int port = FreePort();
        File.WriteAllText(Path.Combine(dir.FullName, "prom.yml"),
            $"global:\n  scrape_interval: 1s\nscrape_configs:\n- job_name: metallb\n  static_configs:\n  - targets: ['{host.Address.Authority}']\n");
        var psi = new ProcessStartInfo(Tool("prometheus"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            ArgumentList = { $"--config.file={dir.FullName}/prom.yml", $"--storage.tsdb.path={dir.FullName}/data", $"--web.listen-address=127.0.0.1:{port}" },
        };
        using var prometheus = Process.Start(psi)!;
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            // Prometheus throttles target discovery for ~5 s at start; give it a generous deadline.
            var value = await PollAsync(api, "metallb_k8s_client_updates_total", TimeSpan.FromSeconds(90));
            Assert.Equal("42", value);
            Assert.Equal("16", await PollAsync(api, "metallb_allocator_addresses_total{pool=\"public\"}", TimeSpan.FromSeconds(30)));
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            dir.Delete(recursive: true);
        }
    }

    private static async Task<string> PollAsync(HttpClient api, string query, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        string last = "(no answer)";
        while (DateTime.UtcNow < until)
        {
            try
            {
                var json = JsonNode.Parse(await api.GetStringAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative)))!;
                var result = json["data"]!["result"]!.AsArray();
                if (result.Count > 0) return result[0]!["value"]![1]!.GetValue<string>();
                last = json.ToJsonString();
            }
            catch (HttpRequestException e)
            {
                last = e.Message;   // not listening yet
            }
            await Task.Delay(250);   // polling a condition with a deadline, not synchronising by sleep
        }
        throw new TimeoutException($"Prometheus had no sample for {query} within {deadline}: {last}");
    }

    private static string Tool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        throw new InvalidOperationException($"{name} is not installed: run scripts/install/prometheus.sh (the test command does)");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string stdin)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, (await stdout) + (await stderr));
    }
}
