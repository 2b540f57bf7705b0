using System.Net;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>https with the emulator's CA and a bearer token; fault injection by API and over HTTP.</summary>
public sealed class SecurityAndFaultTests
{
    [Fact]
    public async Task Https_with_a_bearer_token_refuses_requests_without_it()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { UseHttps = true, BearerToken = "s3cret" });
        Assert.Equal("https", server.BaseAddress.Scheme);
        Assert.Contains("BEGIN CERTIFICATE", server.CaCertificatePem);
        using var api = new RawApi(server.CreateHttpClient());
        await api.OkAsync(api.GetAsync("api/v1/namespaces"));

        api.Http.DefaultRequestHeaders.Authorization = null;
        var (code, status) = await api.GetAsync("api/v1/namespaces");
        Assert.Equal(HttpStatusCode.Unauthorized, code);
        Assert.Equal("Unauthorized", status["reason"]!.GetValue<string>());

        // Without the emulator's CA the TLS handshake itself fails: the certificate is really checked.
        using var untrusting = new HttpClient { BaseAddress = server.BaseAddress };
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("version"));
    }

    [Fact]
    public async Task Fail_next_answers_the_matching_requests_with_the_given_code_then_recovers()
    {
        await using var server = await EmulatorServer.StartAsync();
        using var api = new RawApi(server.CreateHttpClient());
        server.Faults.FailNext(2, 503, method: "GET", pathContains: "/configmaps");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("api/v1/namespaces")).Code);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await api.GetAsync("api/v1/configmaps")).Code);
        var (code, status) = await api.GetAsync("api/v1/configmaps");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("ServiceUnavailable", status["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("api/v1/configmaps")).Code);
    }

    [Fact]
    public async Task Down_drops_every_request_and_open_watch_until_it_is_lifted()
    {
        await using var server = await EmulatorServer.StartAsync();
        using var http = server.CreateHttpClient();
        using var watch = await http.GetAsync("api/v1/namespaces?watch=true", HttpCompletionOption.ResponseHeadersRead);
        var stream = await watch.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        Assert.Equal(1, server.OpenWatches);

        server.Faults.Down = true;
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("api/v1/namespaces"));
        // The cut watch ends, cleanly or by a reset, as a dropped connection does.
        await Assert.ThrowsAsync<IOException>(async () =>
        {
            while (await reader.ReadLineAsync() is not null) { }
            throw new IOException("ended");
        });
        Assert.Equal(0, server.OpenWatches);

        server.Faults.Down = false;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/v1/namespaces")).StatusCode);
    }

    [Fact]
    public async Task Faults_can_be_set_over_http_too()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { BearerToken = "t" });
        using var api = new RawApi(server.CreateHttpClient());
        await api.OkAsync(api.PostAsync("emulator/faults/fail?count=1&code=429&method=POST", new JsonObject()));
        var (code, _) = await api.PostAsync("api/v1/namespaces/default/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "a" } });
        Assert.Equal((HttpStatusCode)429, code);
        await api.CreateConfigMapAsync("a");

        await api.OkAsync(api.PostAsync("emulator/faults/latency?ms=20", new JsonObject()));
        Assert.Equal(TimeSpan.FromMilliseconds(20), server.Faults.Latency);
        await api.OkAsync(api.GetAsync("api/v1/configmaps"));
        await api.OkAsync(api.PostAsync("emulator/faults/clear", new JsonObject()));
        Assert.Equal(TimeSpan.Zero, server.Faults.Latency);
    }
}
