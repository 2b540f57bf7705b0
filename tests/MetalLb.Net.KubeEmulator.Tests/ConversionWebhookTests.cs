using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// CRD conversion webhooks through kubectl: objects written in one version are stored in the
/// storage version and read, listed and watched in any served version through ConversionReview,
/// and a webhook matching another version of the resource (matchPolicy Equivalent) sees the
/// object converted to the version it asked for.
/// </summary>
[Trait("Category", "Interop")]
public sealed class ConversionWebhookTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task Objects_are_converted_on_write_read_list_and_watch(string flavor)
    {
        var binary = KubectlBinary.Require(flavor);
        await using var webhook = await WebhookTestServer.StartAsync(AdmissionFixture.ServiceHost);
        webhook.On("/convert", GadgetCrd.Convert);
        webhook.On("/validate-gadget", review => WebhookTestServer.Answer(review, allowed: true));
        var options = new EmulatorOptions { RequestLog = Log };
        // This test reaches the webhook through the emulator's service map instead of an EndpointSlice.
        options.WebhookServices["webhooks/webhook"] = $"127.0.0.1:{webhook.Port}";
        await using var server = await EmulatorServer.StartAsync(options);
        using var kubectl = new KubectlSession(binary, server) { Log = Log };
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("crd.yaml", GadgetCrd.Yaml(webhook.CaBundle)));
        await kubectl.OkAsync("wait", "--for=condition=Established", "--timeout=30s", "crd/gadgets.example.com");
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("vwc.yaml", $$"""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata: {name: gadget-policy}
            webhooks:
            - name: gadgets.policy.example.com
              admissionReviewVersions: ["v1"]
              sideEffects: None
              clientConfig:
                caBundle: {{webhook.CaBundle}}
                service: {namespace: webhooks, name: webhook, path: /validate-gadget}
              rules:
              - {operations: ["CREATE"], apiGroups: ["example.com"], apiVersions: ["v1"], resources: ["gadgets"]}
            """));

        Assert.Contains("created", await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("g1.yaml", GadgetCrd.V2("g1", 5))));
        // Stored at v1: the body went through the webhook to the storage version.
        Assert.Contains(webhook.Received, r => r.Path == "/convert" && r.Body["request"]!["desiredAPIVersion"]!.GetValue<string>() == "example.com/v1");
        // The validating webhook asked for v1 only; it got the v2 request converted to v1.
        var admission = webhook.Received.Single(r => r.Path == "/validate-gadget").Body["request"]!;
        Assert.Equal("v1", admission["kind"]!["version"]!.GetValue<string>());
        Assert.Equal("v2", admission["requestKind"]!["version"]!.GetValue<string>());
        Assert.Equal(5, admission["object"]!["spec"]!["size"]!.GetValue<int>());

        var asV1 = JsonNode.Parse(await kubectl.OkAsync("get", "gadgets.v1.example.com", "g1", "-o", "json"))!;
        Assert.Equal("example.com/v1", asV1["apiVersion"]!.GetValue<string>());
        Assert.Equal(5, asV1["spec"]!["size"]!.GetValue<int>());
        var list = JsonNode.Parse(await kubectl.OkAsync("get", "gadgets.v2.example.com", "-o", "json"))!;
        Assert.Equal("size-5", list["items"]![0]!["spec"]!["label"]!.GetValue<string>());
        Assert.Matches(@"g1\s+size-5", await kubectl.OkAsync("get", "gadgets.v2.example.com"));

        var lines = new ConcurrentQueue<string>();
        using var watch = kubectl.Start(["get", "gadgets.v2.example.com", "-w"], stdin: null);
        try
        {
            watch.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            watch.BeginOutputReadLine();
            await Eventually.True(() => lines.Any(l => l.Contains("size-5", StringComparison.Ordinal)), "kubectl get -w to show g1 at v2");
            await Eventually.True(() => server.OpenWatches > 0, "kubectl to open its watch");
            await kubectl.OkAsync("patch", "gadgets.v1.example.com", "g1", "--type=merge", "-p", """{"spec":{"size":6}}""");
            await Eventually.True(() => lines.Any(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^g1\s+size-6")), "the watch to show the change converted to v2");
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }

        // A conversion webhook that fails: the real server's bare 500, which kubectl prints as is.
        webhook.On("/convert", review => new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "ConversionReview",
            ["response"] = new JsonObject
            {
                ["uid"] = review["request"]!["uid"]!.GetValue<string>(),
                ["result"] = new JsonObject { ["status"] = "Failure", ["message"] = "the converter is broken" },
            },
        });
        var failed = await kubectl.RunAsync("get", "gadgets.v2.example.com", "g1");
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("Error from server: conversion webhook for example.com/v1, Kind=Gadget failed: the converter is broken", failed.Stderr);
        // The storage version needs no conversion, so it still reads.
        Assert.Matches(@"g1\s+6", await kubectl.OkAsync("get", "gadgets.v1.example.com", "g1"));
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // Output after the test ended is not needed.
        }
    }
}
