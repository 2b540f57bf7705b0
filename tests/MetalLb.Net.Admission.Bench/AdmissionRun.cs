using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Admission.Bench;

/// <summary>
/// One run: emulator (https, token) with the CRDs and N pools, the controller with its webhooks
/// behind deploy/metallb-net.yaml's ValidatingWebhookConfiguration and Service (an
/// EndpointSlice at its loopback port), then timed server-side applies alternating blocks with
/// the configuration present (webhook on) and deleted (off).
/// </summary>
internal static class AdmissionRun
{
    private const string Ns = "metallb-system";
    private const string Configurations = "apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";

    public static async Task<string> RunAsync(int applies, int pools, int blocks, bool stub)
    {
        string load0 = File.ReadAllText("/proc/loadavg").Trim();
        await using var lab = await EmulatorLab.StartAsync(new EmulatorOptions { UseHttps = true }, installCrds: true, Ns);
        using var http = lab.Server.CreateHttpClient();
        string dir = Directory.CreateTempSubdirectory("admission-bench-").FullName;
        try
        {
            string kubeconfig = lab.WriteKubeconfig(dir);
            var (configuration, secret, service) = InstallObjects();
            await OkAsync(http, HttpMethod.Post, $"api/v1/namespaces/{Ns}/secrets", secret);
            await OkAsync(http, HttpMethod.Post, Configurations, configuration);
            await using var stubWebhook = stub ? await StubWebhook.StartAsync("metallb-webhook-service.metallb-system.svc") : null;
            using var controller = stub ? null : ControllerChild.Start(kubeconfig);
            await OkAsync(http, HttpMethod.Post, $"api/v1/namespaces/{Ns}/services", service);
            await OkAsync(http, HttpMethod.Post, $"apis/discovery.k8s.io/v1/namespaces/{Ns}/endpointslices", Slice(stubWebhook?.Port ?? controller!.WebhookPort));
            if (controller is not null)
                await controller.WaitReadyAsync(TimeSpan.FromMinutes(3));
            else
            {
                foreach (var hook in configuration["webhooks"]!.AsArray())
                    hook!["clientConfig"]!["caBundle"] = stubWebhook!.CaBundle;
                await OkAsync(http, HttpMethod.Put, $"{Configurations}/metallb-webhook-configuration", configuration);
            }
            // The injected caBundle is part of the configuration from now on: keep that copy.
            configuration = (JsonObject)JsonNode.Parse(await http.GetStringAsync(new Uri($"{Configurations}/metallb-webhook-configuration", UriKind.Relative)))!;
            Strip(configuration);

            for (int i = 0; i < pools; i++)
                await OkAsync(http, HttpMethod.Post, $"apis/metallb.io/v1beta1/namespaces/{Ns}/ipaddresspools", Pool(i, 0));
            await WaitRefusedAsync(http, pools - 1);

            var on = new List<double>(applies);
            var off = new List<double>(applies);
            int perBlock = Math.Max(1, 2 * applies / blocks);
            int k = 0;
            bool installed = true;
            // Warm-up, not counted: connections, JIT, the webhook's first reviews.
            for (int i = 0; i < 50; i++)
                await ApplyAsync(http, k++, pools);
            for (int b = 0; on.Count < applies || off.Count < applies; b++)
            {
                bool webhook = b % 2 == 0;
                var into = webhook ? on : off;
                if (into.Count >= applies)
                    continue;
                if (webhook && !installed)
                {
                    await OkAsync(http, HttpMethod.Post, Configurations, configuration);
                    await WaitRefusedAsync(http, k % pools);
                }
                else if (!webhook && installed)
                {
                    await OkAsync(http, HttpMethod.Delete, $"{Configurations}/metallb-webhook-configuration", null);
                }
                installed = webhook;
                for (int i = 0; i < perBlock && into.Count < applies; i++)
                    into.Add(await ApplyAsync(http, k++, pools));
            }
            double cpu = controller is null ? 0 : ControllerCpuSeconds(controller.Pid);
            string load1 = File.ReadAllText("/proc/loadavg").Trim();
            return (stub ? "STUB webhook (in-process, allows all): " : "metallb-net-controller webhook: ") + Report(on, off, applies, pools, blocks, load0, load1, cpu);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>One server-side apply moving pool k%N between two disjoint /64s; its latency in ms.</summary>
    private static async Task<double> ApplyAsync(HttpClient http, int k, int pools)
    {
        int i = k % pools;
        var body = Pool(i, (k / pools) % 2 == 0 ? 1 : 0);
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"apis/metallb.io/v1beta1/namespaces/{Ns}/ipaddresspools/pool-{i}?fieldManager=bench&force=true")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/apply-patch+yaml"),
        };
        long start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"apply {k} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return ms;
    }

    /// <summary>Until a server dry run of a pool overlapping pool <paramref name="i"/> is refused: the webhook is called and its cache holds the pools.</summary>
    private static async Task WaitRefusedAsync(HttpClient http, int i)
    {
        // Both /64s pool i moves between: it overlaps pool i wherever pool i is now.
        var probe = Pool(i, 0);
        probe["metadata"]!["name"] = "probe";
        probe["spec"]!["addresses"] = new JsonArray(Cidr(i, 0), Cidr(i, 1));
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.PostAsync(new Uri($"apis/metallb.io/v1beta1/namespaces/{Ns}/ipaddresspools?dryRun=All", UriKind.Relative),
                new StringContent(probe.ToJsonString(), Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Forbidden && text.Contains("overlaps", StringComparison.Ordinal))
                return;
            if (clock.Elapsed > TimeSpan.FromMinutes(2))
                throw new TimeoutException($"the webhook never refused an overlapping pool; last answer {(int)response.StatusCode}: {text}");
            await Task.Delay(100);
        }
    }

    private static JsonObject Pool(int i, int half) => new()
    {
        ["apiVersion"] = "metallb.io/v1beta1",
        ["kind"] = "IPAddressPool",
        ["metadata"] = new JsonObject { ["name"] = $"pool-{i}", ["namespace"] = Ns },
        ["spec"] = new JsonObject { ["addresses"] = new JsonArray(Cidr(i, half)) },
    };

    private static string Cidr(int i, int half) => string.Create(CultureInfo.InvariantCulture, $"2001:db8:{half:x}:{i:x}::/64");

    private static (JsonObject Configuration, JsonObject Secret, JsonObject Service) InstallObjects()
    {
        string manifest = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "metallb-net.yaml"));
        var objects = manifest.ReplaceLineEndings("\n").Split("\n---")
            .Where(doc => doc.Split('\n').Any(l => l.Length > 0 && !l.TrimStart().StartsWith('#')))
            .Select(doc => JsonNode.Parse(YamlJson.Convert(doc))!.AsObject()).ToList();
        return (objects.Single(o => (string?)o["kind"] == "ValidatingWebhookConfiguration"),
                objects.Single(o => (string?)o["kind"] == "Secret" && (string?)o["metadata"]!["name"] == "metallb-webhook-cert"),
                objects.Single(o => (string?)o["kind"] == "Service" && (string?)o["metadata"]!["name"] == "metallb-webhook-service"));
    }

    private static JsonObject Slice(int port) => new()
    {
        ["apiVersion"] = "discovery.k8s.io/v1",
        ["kind"] = "EndpointSlice",
        ["metadata"] = new JsonObject
        {
            ["name"] = "metallb-webhook-service-bench",
            ["namespace"] = Ns,
            ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = "metallb-webhook-service" },
        },
        ["addressType"] = "IPv4",
        ["ports"] = new JsonArray(new JsonObject { ["port"] = port, ["protocol"] = "TCP" }),
        ["endpoints"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray("127.0.0.1"),
            ["conditions"] = new JsonObject { ["ready"] = true },
        }),
    };

    private static void Strip(JsonObject o)
    {
        var meta = (JsonObject)o["metadata"]!;
        foreach (var field in (string[])["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"])
            meta.Remove(field);
    }

    private static async Task OkAsync(HttpClient http, HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static double ControllerCpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static string Report(List<double> on, List<double> off, int applies, int pools, int blocks, string load0, string load1, double cpu)
    {
        static double P(List<double> xs, double q)
        {
            var s = xs.Order().ToList();
            return s[Math.Min(s.Count - 1, (int)Math.Ceiling(q * s.Count) - 1)];
        }
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"admission bench: {applies} server-side applies per mode, {pools} pools stored, {blocks} alternating blocks; load {load0} -> {load1}; controller CPU {cpu:F1} s");
        sb.AppendLine("| mode | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | mean (ms) |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, xs) in new[] { ("webhook on", on), ("webhook off", off) })
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {P(xs, 0.50):F2} | {P(xs, 0.90):F2} | {P(xs, 0.99):F2} | {xs.Max():F2} | {xs.Average():F2} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"webhook adds: p50 {P(on, 0.5) - P(off, 0.5):F2} ms, p99 {P(on, 0.99) - P(off, 0.99):F2} ms");
        return sb.ToString();
    }
}
