using Xunit.Abstractions;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// kubectl, a client we did not write, against the emulator with default validation on: the
/// project's CRDs and samples, client- and server-side apply, patches, watches, deletes and
/// rejections. Every test runs with each kubectl version the test command installs (1.32, 1.33),
/// and checks that version is the one that ran (KubectlBinary).
/// </summary>
[Trait("Category", "Interop")]
public sealed partial class KubectlTests(ITestOutputHelper output)
{
    private static readonly string[] ServedSampleKinds =
        ["IPAddressPool", "L2Advertisement", "BGPAdvertisement", "BGPPeer", "Service", "Node", "Namespace", "EndpointSlice", "ResourceQuota"];

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task Applies_the_crds_and_every_sample_the_emulator_serves(string flavor)
    {
        var binary = KubectlBinary.Require(flavor);
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { UseHttps = true, BearerToken = "t0ken", RequestLog = Log });
        using var kubectl = new KubectlSession(binary, server) { Log = Log };

        await kubectl.OkAsync("apply", "-f", RepoPaths.Crds);
        Assert.Contains("condition met", await kubectl.OkAsync("wait", "--for=condition=Established", "--timeout=30s",
            "crd/ipaddresspools.metallb.io", "crd/bgppeers.metallb.io"));
        // Namespaces from YAML: `kubectl create namespace` sends protobuf, which the emulator does not read.
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("ns.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: metallb-system\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: development\n"));
        var files = Directory.GetFiles(RepoPaths.Samples, "*.yaml").Order(StringComparer.Ordinal)
            .Where(f => KindRegex().Matches(File.ReadAllText(f)).All(m => ServedSampleKinds.Contains(m.Groups[1].Value)))
            .ToList();
        Assert.True(files.Count > 30, $"only {files.Count} sample files hold served kinds");
        var args = new List<string> { "apply" };
        foreach (var f in files)
            args.AddRange(["-f", f]);
        await kubectl.OkAsync([.. args]);

        var pools = await kubectl.OkAsync("get", "ipaddresspools", "-n", "metallb-system");
        Assert.Contains("ADDRESSES", pools);
        Assert.Contains("dual-stack-pool", pools);
        var services = await kubectl.OkAsync("get", "svc", "-n", "production");
        Assert.Matches(@"web-service\s+LoadBalancer\s+10\.96\.\d+\.\d+\s+<pending>\s+80:3\d{4}/TCP", services);
        var peers = await kubectl.OkAsync("get", "bgppeers.v1beta2.metallb.io", "-n", "metallb-system", "-o", "name");
        Assert.Contains("bgppeer.metallb.io/", peers);

        // Applying the same files again changes nothing; deleting them removes every object.
        var again = await kubectl.OkAsync([.. args]);
        Assert.DoesNotContain(" created", again);
        Assert.DoesNotContain(" configured", again);
        // --ignore-not-found: the emulator deletes a Namespace's objects at once (a real server
        // takes a moment), so the objects after the production Namespace in the list are gone.
        args[0] = "delete";
        args.Insert(1, "--ignore-not-found");
        await kubectl.OkAsync([.. args]);
        Assert.Contains("No resources found", (await kubectl.RunAsync("get", "ipaddresspools", "-A")).Stderr);
    }

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task Client_side_and_server_side_apply_create_then_change(string flavor)
    {
        var binary = KubectlBinary.Require(flavor);
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { RequestLog = Log });
        using var kubectl = new KubectlSession(binary, server) { Log = Log };
        await kubectl.OkAsync("apply", "-f", Path.Combine(RepoPaths.Crds, "metallb.io_ipaddresspools.yaml"));

        var pool = kubectl.WriteFile("pool.yaml", Pool("pool-a", "192.0.2.0/28", autoAssign: "true"));
        Assert.Contains("created", await kubectl.OkAsync("apply", "-f", pool));
        kubectl.WriteFile("pool.yaml", Pool("pool-a", "198.51.100.0/28", autoAssign: "false"));
        Assert.Contains("configured", await kubectl.OkAsync("apply", "-f", pool));
        var applied = Json(await kubectl.OkAsync("get", "ipaddresspool", "pool-a", "-o", "json"));
        Assert.Equal("198.51.100.0/28", applied["spec"]!["addresses"]![0]!.GetValue<string>());
        Assert.False(applied["spec"]!["autoAssign"]!.GetValue<bool>());
        Assert.False(applied["spec"]!["avoidBuggyIPs"]!.GetValue<bool>()); // CRD default applied

        var svc = kubectl.WriteFile("svc.yaml", Service("web", [80, 443]));
        await kubectl.OkAsync("apply", "-f", svc);
        kubectl.WriteFile("svc.yaml", Service("web", [8080, 443]));
        await kubectl.OkAsync("apply", "-f", svc);
        var ports = await kubectl.OkAsync("get", "svc", "web", "-o", "jsonpath={.spec.ports[*].port}");
        Assert.Equal("8080 443", ports.Trim());

        var ssa = kubectl.WriteFile("ssa.yaml", Pool("pool-ssa", "203.0.113.0/28", autoAssign: "true"));
        Assert.Contains("serverside-applied", await kubectl.OkAsync("apply", "--server-side", "-f", ssa));
        kubectl.WriteFile("ssa.yaml", Pool("pool-ssa", "203.0.113.16/28", autoAssign: "false"));
        Assert.Contains("serverside-applied", await kubectl.OkAsync("apply", "--server-side", "-f", ssa));
        var afterSsa = Json(await kubectl.OkAsync("get", "ipaddresspool", "pool-ssa", "-o", "json"));
        Assert.Equal("203.0.113.16/28", afterSsa["spec"]!["addresses"]![0]!.GetValue<string>());
        Assert.False(afterSsa["spec"]!["autoAssign"]!.GetValue<bool>());
        await kubectl.OkAsync("apply", "--server-side", "-f", svc);
    }

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task Get_watch_sees_the_external_ip_a_status_patch_sets(string flavor)
    {
        var binary = KubectlBinary.Require(flavor);
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { RequestLog = Log });
        using var kubectl = new KubectlSession(binary, server) { Log = Log };
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("svc.yaml", Service("lb", [80])));

        var lines = new ConcurrentQueue<string>();
        using var watch = kubectl.Start(["get", "svc", "lb", "-w"], stdin: null);
        try
        {
            watch.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            watch.BeginOutputReadLine();
            await Eventually.True(() => lines.Any(l => l.Contains("<pending>")), "kubectl get -w to list the Service");
            await Eventually.True(() => server.OpenWatches > 0, "kubectl to open its watch");
            await kubectl.OkAsync("patch", "svc", "lb", "--subresource=status", "--type=merge",
                "-p", """{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.10"}]}}}""");
            await Eventually.True(() => lines.Any(l => Regex.IsMatch(l, @"^lb\s+LoadBalancer\s+\S+\s+192\.0\.2\.10\s")), "the watch to show the EXTERNAL-IP");
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }
        Assert.Matches(@"lb\s+LoadBalancer\s+10\.96\.\d+\.\d+\s+192\.0\.2\.10\s+80:3\d{4}/TCP", await kubectl.OkAsync("get", "svc", "lb"));
        Assert.Contains("deleted", await kubectl.OkAsync("delete", "svc", "lb"));
        var gone = await kubectl.RunAsync("get", "svc", "lb");
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("NotFound", gone.Stderr);
    }

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task Patches_merge_json_and_strategic(string flavor)
    {
        var binary = KubectlBinary.Require(flavor);
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { RequestLog = Log });
        using var kubectl = new KubectlSession(binary, server) { Log = Log };
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("svc.yaml", Service("p", [80, 443])));

        await kubectl.OkAsync("patch", "svc", "p", "--type=merge", "-p", """{"metadata":{"labels":{"tier":"web"}}}""");
        await kubectl.OkAsync("patch", "svc", "p", "--type=json", "-p", """[{"op":"add","path":"/metadata/annotations","value":{"a":"b"}}]""");
        await kubectl.OkAsync("patch", "svc", "p", "--type=strategic", "-p", """{"spec":{"ports":[{"port":443,"$patch":"delete"},{"port":80,"name":"http"}]}}""");
        var svc = Json(await kubectl.OkAsync("get", "svc", "p", "-o", "json"));
        Assert.Equal("web", svc["metadata"]!["labels"]!["tier"]!.GetValue<string>());
        Assert.Equal("b", svc["metadata"]!["annotations"]!["a"]!.GetValue<string>());
        var ports = svc["spec"]!["ports"]!.AsArray();
        Assert.Single(ports);
        Assert.Equal("http", ports[0]!["name"]!.GetValue<string>());
        Assert.NotNull(ports[0]!["nodePort"]);
        await kubectl.OkAsync("delete", "svc", "p");
    }

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task Invalid_pools_are_rejected_with_the_field_path(string flavor)
    {
        var binary = KubectlBinary.Require(flavor);
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { RequestLog = Log });
        using var kubectl = new KubectlSession(binary, server) { Log = Log };
        await kubectl.OkAsync("apply", "-f", Path.Combine(RepoPaths.Crds, "metallb.io_ipaddresspools.yaml"));

        var maybe = await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("bad.yaml", Pool("bad", "192.0.2.0/28", autoAssign: "maybe")));
        Assert.NotEqual(0, maybe.ExitCode);
        Assert.Contains("spec.autoAssign", maybe.Stderr);
        Assert.Contains("must be of type boolean", maybe.Stderr);

        var missing = await kubectl.RunAsync("create", "-f", kubectl.WriteFile("missing.yaml",
            "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: empty\nspec:\n  autoAssign: true\n"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("spec.addresses: Required value", missing.Stderr);

        var unknown = await kubectl.RunAsync("create", "-f", kubectl.WriteFile("unknown.yaml",
            "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: extra\nspec:\n  addresses: [192.0.2.0/28]\n  colour: blue\n"));
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("unknown field \"spec.colour\"", unknown.Stderr);

        // The CRDs' CEL rules (x-kubernetes-validations) are enforced too.
        await kubectl.OkAsync("apply", "-f", Path.Combine(RepoPaths.Crds, "metallb.io_bgppeers.yaml"));
        var halfSecond = await kubectl.RunAsync("create", "-f", kubectl.WriteFile("peer.yaml",
            "apiVersion: metallb.io/v1beta2\nkind: BGPPeer\nmetadata:\n  name: p\nspec:\n  myASN: 64512\n  peerASN: 64513\n  peerAddress: 192.0.2.1\n  connectTime: 1500ms\n"));
        Assert.NotEqual(0, halfSecond.ExitCode);
        Assert.Contains("spec.connectTime", halfSecond.Stderr);
        Assert.Contains("connectTime must be a whole number of seconds", halfSecond.Stderr);
    }

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task A_service_created_without_cluster_ip_gets_the_server_defaults(string flavor)
    {
        var binary = KubectlBinary.Require(flavor);
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { RequestLog = Log });
        using var kubectl = new KubectlSession(binary, server) { Log = Log };
        await kubectl.OkAsync("create", "-f", kubectl.WriteFile("svc.yaml", Service("d", [80])));

        var spec = Json(await kubectl.OkAsync("get", "svc", "d", "-o", "json"))["spec"]!;
        Assert.StartsWith("10.96.", spec["clusterIP"]!.GetValue<string>());
        Assert.Equal(spec["clusterIP"]!.GetValue<string>(), spec["clusterIPs"]![0]!.GetValue<string>());
        Assert.Equal("IPv4", spec["ipFamilies"]![0]!.GetValue<string>());
        Assert.Equal("SingleStack", spec["ipFamilyPolicy"]!.GetValue<string>());
        Assert.Equal("Cluster", spec["externalTrafficPolicy"]!.GetValue<string>());
        Assert.Equal("Cluster", spec["internalTrafficPolicy"]!.GetValue<string>());
        Assert.Equal("None", spec["sessionAffinity"]!.GetValue<string>());
        Assert.True(spec["allocateLoadBalancerNodePorts"]!.GetValue<bool>());
        Assert.Equal("TCP", spec["ports"]![0]!["protocol"]!.GetValue<string>());
        Assert.Equal(80, spec["ports"]![0]!["targetPort"]!.GetValue<int>());
        Assert.InRange(spec["ports"]![0]!["nodePort"]!.GetValue<int>(), 30000, 32767);
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // A watch can outlive its test by a moment; its last lines are not needed.
        }
    }

    private static JsonNode Json(string text) => JsonNode.Parse(text)!;

    private static string Pool(string name, string addresses, string autoAssign) =>
        $"apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: {name}\nspec:\n  addresses:\n  - {addresses}\n  autoAssign: {autoAssign}\n";

    private static string Service(string name, int[] ports) =>
        $"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: LoadBalancer\n  selector:\n    app: {name}\n  ports:\n"
        + string.Concat(ports.Select(p => $"  - name: p{p}\n    port: {p}\n"));

    [GeneratedRegex(@"(?m)^kind:\s*(\S+)")]
    private static partial Regex KindRegex();
}
