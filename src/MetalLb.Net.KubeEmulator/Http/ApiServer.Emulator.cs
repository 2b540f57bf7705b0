using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MetalLb.Net.KubeEmulator.Http;

internal sealed partial class ApiServer
{
    /// <summary>
    /// The fault-injection knobs over HTTP (POST only, behind the same bearer token), for tests
    /// that drive the emulator from another process:
    /// /emulator/faults/fail?count=N&amp;code=C[&amp;method=M][&amp;path=P], /emulator/faults/cut-watches,
    /// /emulator/faults/expire-watches?count=N, /emulator/faults/latency?ms=N, /emulator/faults/clear,
    /// /emulator/compact, /emulator/bookmarks.
    /// </summary>
    private async Task HandleEmulatorEndpointAsync(HttpContext ctx, string path)
    {
        if (ctx.Request.Method != "POST")
            throw ApiException.MethodNotAllowed("emulator endpoints take POST");
        var q = ctx.Request.Query;
        int Int(string key, int fallback) =>
            int.TryParse(q[key].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
        string? Text(string key) => q.TryGetValue(key, out var v) && v.ToString().Length > 0 ? v.ToString() : null;
        var answer = new JsonObject { ["ok"] = true };
        switch (path)
        {
            case "/emulator/faults/fail":
                _faults.FailNext(Int("count", 1), Int("code", 500), Text("method"), Text("path"));
                break;
            case "/emulator/faults/cut-watches":
                answer["cut"] = _faults.CutWatches();
                break;
            case "/emulator/faults/expire-watches":
                _faults.ExpireNextWatches(Int("count", 1));
                break;
            case "/emulator/faults/latency":
                _faults.Latency = TimeSpan.FromMilliseconds(Int("ms", 0));
                break;
            case "/emulator/faults/clear":
                _faults.Clear();
                break;
            case "/emulator/compact":
                Store.Compact();
                break;
            case "/emulator/bookmarks":
                Store.BookmarkAll();
                break;
            default:
                throw NotFoundError();
        }
        await WriteJsonAsync(ctx, 200, answer);
    }
}
