using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>Plain HTTP against the emulator, for the protocol details kubectl does not exercise.</summary>
internal sealed class RawApi(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    public async Task<(HttpStatusCode Code, JsonObject Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue(contentType));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text) as JsonObject ?? []);
    }

    public Task<(HttpStatusCode Code, JsonObject Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(HttpStatusCode Code, JsonObject Body)> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body);

    public Task<(HttpStatusCode Code, JsonObject Body)> PutAsync(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body);

    public Task<(HttpStatusCode Code, JsonObject Body)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public Task<(HttpStatusCode Code, JsonObject Body)> MergePatchAsync(string path, JsonNode patch) =>
        SendAsync(HttpMethod.Patch, path, patch, "application/merge-patch+json");

    public async Task<JsonObject> OkAsync(Task<(HttpStatusCode Code, JsonObject Body)> call)
    {
        var (code, body) = await call;
        Assert.True((int)code is >= 200 and < 300, $"HTTP {(int)code}: {body.ToJsonString()}");
        return body;
    }

    public async Task<JsonObject> CreateConfigMapAsync(string name, string ns = "default", JsonObject? labels = null) =>
        await OkAsync(PostAsync($"api/v1/namespaces/{ns}/configmaps", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["data"] = new JsonObject { ["k"] = "v" },
        }));

    /// <summary>Opens a watch and hands its frames over as they arrive.</summary>
    public async Task<WatchStream> WatchAsync(string path)
    {
        var response = await http.GetAsync(path.TrimStart('/'), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new WatchStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    public void Dispose() => http.Dispose();

    public static string Rv(JsonObject o) => o["metadata"]!["resourceVersion"]!.GetValue<string>();
}

/// <summary>The frames of one watch response, read with a deadline each.</summary>
internal sealed class WatchStream(HttpResponseMessage response, StreamReader reader) : IDisposable
{
    public async Task<JsonObject?> NextAsync(TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(20));
        var line = await reader.ReadLineAsync(cts.Token);
        return line is null ? null : (JsonObject)JsonNode.Parse(line)!;
    }

    /// <summary>Reads until the stream ends (null) or fails (the connection was cut), whichever comes first.</summary>
    public async Task<bool> EndsAsync()
    {
        try
        {
            while (await NextAsync() is not null)
            {
            }
            return true;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}
