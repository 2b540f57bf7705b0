using MetalLb.Net.TestKit;

namespace MetalLb.Net.Admission.Bench;

/// <summary>
/// A webhook that decides nothing (allows all but the probe), in-process on TLS: with it in
/// place of the controller the run measures what the emulator's admission path itself costs
/// (matching, AdmissionReview, HTTPS round trip), apart from the controller's judging.
/// </summary>
internal static class StubWebhook
{
    public static async Task<WebhookTestServer> StartAsync(string dnsName)
    {
        var server = await WebhookTestServer.StartAsync(dnsName);
        server.KeepReceived = false;
        server.OnAnyPath(review =>
            WebhookTestServer.Answer(review, allowed: (string?)review["request"]?["name"] != "probe", "probe overlaps"));
        return server;
    }
}
