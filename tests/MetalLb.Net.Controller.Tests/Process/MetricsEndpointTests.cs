using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// The running executable's /metrics, /healthz and /readyz, judged by Prometheus' own tools:
/// promtool's parser and linter, and a real Prometheus server scraping it on loopback.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class MetricsEndpointTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task After_allocating_metrics_carry_upstreams_names_and_values_and_pass_promtool()
    {
        string promtool = Prerequisite.Require(Prerequisite.Find("promtool"), "promtool", "scripts/install/prometheus.sh");
        await using var lab = await ProcessLab.StartAsync(output);
        await lab.CreatePoolAsync("lab", "192.0.2.0/29");
        var controller = lab.StartController("solo");
        using var http = controller.Http();
        await controller.WaitReadyAsync();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);

        foreach (string name in (string[])["one", "two", "three"])
            await lab.CreateServiceAsync(name);
        foreach (string name in (string[])["one", "two", "three"])
            await lab.WaitForIPsAsync(name);
        Exposition scrape = null!;
        await Eventually.True(async () => (scrape = await Exposition.ScrapeAsync(http))["metallb_allocator_addresses_in_use_total{pool=\"lab\"}"] == 3,
            "addresses_in_use_total{pool=\"lab\"} 3");

        Assert.Equal(8, scrape["metallb_allocator_addresses_total{pool=\"lab\"}"]);
        Assert.Equal(8, scrape["metallb_allocator_ipv4_addresses_total{pool=\"lab\"}"]);
        Assert.Equal(3, scrape["metallb_allocator_ipv4_addresses_in_use_total{pool=\"lab\"}"]);
        Assert.Equal(0, scrape["metallb_allocator_ipv6_addresses_in_use_total{pool=\"lab\"}"]);
        Assert.True(scrape["metallb_k8s_client_updates_total"] >= 3, $"updates_total {scrape["metallb_k8s_client_updates_total"]}\n{scrape.Text}");
        Assert.Equal(1, scrape["metallb_k8s_client_config_loaded_bool"]);
        Assert.Equal(0, scrape["metallb_k8s_client_config_stale_bool"]);
        Assert.True(scrape.HasFamilyStartingWith("process_"), "process_* metrics\n" + scrape.Text);
        Assert.True(scrape.HasFamilyStartingWith("dotnet_"), "dotnet_* metrics\n" + scrape.Text);

        // Probes and scrapes are not logged at info (ASP.NET Core's request lines would bury ours).
        Assert.Contains("caches synced", controller.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.AspNetCore", controller.Output, StringComparison.Ordinal);

        var (code, lint) = await RunAsync(promtool, ["check", "metrics"], scrape.Text);
        output.WriteLine($"promtool exit {code}:\n{lint}");
        // 0 = clean, 3 = lint notes only, 1 = parse errors. The only notes allowed are about
        // upstream's own legacy names (gauges named *_total), which dashboards depend on.
        Assert.True(code is 0 or 3, $"promtool exit {code}:\n{lint}");
        Assert.All(lint.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            n => Assert.Matches("^metallb_allocator_(ipv[46]_)?addresses(_in_use)?_total non-counter metrics should not have \"_total\" suffix$", n));
    }

    [SkippableFact]
    public async Task A_real_prometheus_scrapes_the_controller_and_sees_the_config_loaded()
    {
        string binary = Prerequisite.Require(Prerequisite.Find("prometheus"), "prometheus", "scripts/install/prometheus.sh");
        await using var lab = await ProcessLab.StartAsync(output);
        await lab.CreatePoolAsync("lab", "192.0.2.0/29");
        var controller = lab.StartController("solo");
        using var http = controller.Http();
        await controller.WaitReadyAsync();
        await lab.CreateServiceAsync("one");
        await lab.WaitForIPsAsync("one");

        int port = ControllerProcess.FreePort();
        File.WriteAllText(Path.Combine(lab.Folder, "prom.yml"),
            $"global:\n  scrape_interval: 1s\nscrape_configs:\n- job_name: metallb-controller\n  static_configs:\n  - targets: ['127.0.0.1:{controller.Port}']\n");
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])[$"--config.file={lab.Folder}/prom.yml", $"--storage.tsdb.path={lab.Folder}/prom-data", $"--web.listen-address=127.0.0.1:{port}"])
            psi.ArgumentList.Add(a);
        using var prometheus = System.Diagnostics.Process.Start(psi)!;
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        var started = Stopwatch.StartNew();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            // Prometheus holds back target discovery for ~5 s after start, hence the deadline.
            Assert.Equal("1", await QueryAsync(api, "metallb_k8s_client_config_loaded_bool{job=\"metallb-controller\"}"));
            output.WriteLine($"first sample after {started.Elapsed.TotalSeconds:F1} s");
            Assert.Equal("1", await QueryAsync(api, "metallb_allocator_addresses_in_use_total{pool=\"lab\"}"));
            Assert.Equal("1", await QueryAsync(api, "up{job=\"metallb-controller\"}"));
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
        }
    }

    private static async Task<string> QueryAsync(HttpClient api, string query)
    {
        string? value = null;
        string last = "(no answer)";
        await Eventually.True(async () =>
        {
            try
            {
                var json = JsonNode.Parse(await api.GetStringAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative)))!;
                var result = json["data"]!["result"]!.AsArray();
                last = json.ToJsonString();
                value = result.Count > 0 ? result[0]!["value"]![1]!.GetValue<string>() : null;
                return value is not null;
            }
            catch (HttpRequestException e)
            {
                last = e.Message;   // not listening yet
                return false;
            }
        }, $"Prometheus has a sample for {query}", TimeSpan.FromSeconds(60));
        return value ?? last;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string stdin)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        await p.WaitForExitAsync();
        return (p.ExitCode, (await stdout) + (await stderr));
    }
}
