using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>Plain JSON over the emulator's admin client, for the objects a test sets up and reads back.</summary>
public sealed class AdminApi(HttpClient http) : IDisposable
{
    public async Task<JsonObject?> GetAsync(string path)
    {
        using var response = await http.GetAsync(new Uri(path.TrimStart('/'), UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        return await ReadAsync(response, "GET " + path);
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string path) =>
        [.. ((await GetAsync(path))?["items"]?.AsArray() ?? []).OfType<JsonObject>()];

    public Task<JsonObject> CreateAsync(string path, JsonObject body) => SendAsync(HttpMethod.Post, path, body, "application/json");

    public Task<JsonObject> MergePatchAsync(string path, JsonObject patch) => SendAsync(HttpMethod.Patch, path, patch, "application/merge-patch+json");

    public Task<JsonObject> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null, null);

    /// <summary>
    /// A request whose refusal is what the caller looks for: the HTTP status and the Status
    /// message (or the object) the server answered, without asserting success.
    /// </summary>
    public async Task<(HttpStatusCode Code, JsonObject? Body)> TrySendAsync(HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        JsonObject? parsed = null;
        try
        {
            parsed = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            parsed = new JsonObject { ["message"] = text };
        }
        return (response.StatusCode, parsed);
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue(contentType!));
        using var response = await http.SendAsync(request);
        return await ReadAsync(response, $"{method} {path}");
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, string what)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{what}: HTTP {(int)response.StatusCode} {text}");
        return (JsonObject)JsonNode.Parse(text)!;
    }

    public void Dispose() => http.Dispose();
}
