using System.Net;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Controller.Tests.Webhooks;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// The real controller process serving its webhooks over HTTPS against the emulator: readiness
/// waits for (and names) the missing webhook configuration, the caBundle it injects is the only
/// trust the client has, and the answers are the ones a user would see from kubectl.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class WebhookProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_controller_injects_its_CA_and_validates_and_converts_over_TLS()
    {
        await using var lab = await ProcessLab.StartAsync(output);
        var (controller, port) = WebhookLab.Start(lab, "webhook");

        // Not ready, and /readyz says why: nothing to inject the CA into yet.
        using (var http = controller.Http())
        {
            await Eventually.True(async () =>
            {
                Assert.False(controller.HasExited, controller.Output);
                try
                {
                    var r = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                    return r.StatusCode == HttpStatusCode.ServiceUnavailable
                        && (await r.Content.ReadAsStringAsync()).Contains("ValidatingWebhookConfiguration metallb-webhook-configuration not found", StringComparison.Ordinal);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "/readyz answers 503 naming the missing ValidatingWebhookConfiguration");
        }
        await WebhookLab.InstallWebhookObjectsAsync(lab.Client);
        await controller.WaitReadyAsync();
        var trust = await WebhookLab.CaBundleAsync(lab.Client);
        // The same bundle went into the BGPPeer CRD's conversion webhook.
        var crd = JsonNode.Parse((await lab.Client.Generic(WebhookLab.Crds).GetAsync(null, "bgppeers.metallb.io")).ToJson())!;
        Assert.Equal(Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(string.Concat(trust.Select(c => c.ExportCertificatePem() + "\n")))),
            (string?)crd["spec"]!["conversion"]!["webhook"]!["clientConfig"]!["caBundle"]);
        using var client = WebhookLab.Client(port, trust);

        // An overlapping pool is refused with validate's words; a disjoint one is allowed.
        await lab.CreatePoolAsync("existing", "192.0.2.0/24");
        JsonNode? answer = null;
        await Eventually.True(async () =>
        {
            answer = (await WebhookLab.PostAsync(client, "/validate-metallb-io-v1beta1-ipaddresspool",
                ReviewBodies.Admission("CREATE", ReviewBodies.Pool("overlap", "192.0.2.128/25")))).Body;
            return (bool?)answer?["response"]?["allowed"] == false;
        }, "the overlapping pool is refused once the stored pool is in the webhook's cache");
        Assert.Equal(403, (int?)answer!["response"]!["status"]!["code"]);
        Assert.Contains("IPAddressPool \"overlap\": CIDR \"192.0.2.128/25\" in pool \"overlap\" overlaps with already defined CIDR \"192.0.2.0/24\"",
            (string?)answer["response"]!["status"]!["message"], StringComparison.Ordinal);
        var valid = await WebhookLab.PostAsync(client, "/validate-metallb-io-v1beta1-ipaddresspool",
            ReviewBodies.Admission("CREATE", ReviewBodies.Pool("fresh", "198.51.100.0/24"), uid: "fresh-uid"));
        Assert.True((bool?)valid.Body!["response"]!["allowed"], valid.Text);
        Assert.Equal("fresh-uid", (string?)valid.Body["response"]!["uid"]);

        // Deleting a BFDProfile a peer uses is refused.
        await lab.Client.Resource<BFDProfile>().CreateAsync(new BFDProfile { Metadata = new ObjectMeta { Name = "fast", Namespace = ProcessLab.Ns } });
        await lab.Client.Resource<BGPPeer>().CreateAsync(new BGPPeer
        {
            Metadata = new ObjectMeta { Name = "router", Namespace = ProcessLab.Ns },
            Spec = new BGPPeerSpec { MyASN = 64500, PeerASN = 64501, PeerAddress = "192.0.2.254", BFDProfile = "fast" },
        });
        await Eventually.True(async () =>
        {
            answer = (await WebhookLab.PostAsync(client, "/validate-metallb-io-v1beta1-bfdprofile", ReviewBodies.Admission("DELETE", ReviewBodies.Bfd("fast")))).Body;
            return (bool?)answer?["response"]?["allowed"] == false;
        }, "deleting the BFDProfile in use is refused");
        Assert.Equal("failed to delete BFDProfile fast, used by BGPPeer router: remove spec.bfdProfile from the peer first",
            (string?)answer!["response"]!["status"]!["message"]);

        // v1beta1 -> v1beta2 -> v1beta1 gives upstream's values, the zero-timer quirk included.
        var legacy = ReviewBodies.LegacyPeer("old");
        legacy["spec"]!.AsObject().Remove("holdTime");
        var up = await WebhookLab.PostAsync(client, "/convert", ReviewBodies.Conversion("metallb.io/v1beta2", legacy));
        var v2 = up.Body!["response"]!["convertedObjects"]![0]!.AsObject();
        Assert.Equal(("metallb.io/v1beta2", "0s", "0s"), ((string?)v2["apiVersion"], (string?)v2["spec"]!["holdTime"], (string?)v2["spec"]!["keepaliveTime"]));
        var down = await WebhookLab.PostAsync(client, "/convert", ReviewBodies.Conversion("metallb.io/v1beta1", v2));
        var v1 = down.Body!["response"]!["convertedObjects"]![0]!;
        Assert.True(JsonNode.DeepEquals(legacy["metadata"], v1["metadata"]), v1["metadata"]!.ToJsonString());
        Assert.Equal(
            """{"myASN":64500,"peerASN":64501,"peerAddress":"192.0.2.1","peerPort":1179,"holdTime":"0s","keepaliveTime":"0s","nodeSelectors":[{"matchLabels":{"rack":"r1"}}]}""",
            v1["spec"]!.ToJsonString());

        // A body that is no review: 400 and the reason.
        using var bad = await client.PostAsync(new Uri("/convert", UriKind.Relative), new StringContent("{\"kind\":"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.StartsWith("malformed ConversionReview", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
