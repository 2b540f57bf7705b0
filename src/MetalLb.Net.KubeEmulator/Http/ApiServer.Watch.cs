using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Selectors;
using MetalLb.Net.KubeEmulator.Store;
using MetalLb.Net.KubeEmulator.Tables;

namespace MetalLb.Net.KubeEmulator.Http;

internal sealed partial class ApiServer
{
    /// <summary>
    /// A watch: newline-delimited {"type","object"} frames, flushed one by one. Without a
    /// resourceVersion (or with "0") existing objects come first as ADDED; with one, every kept
    /// event after it. Too old: HTTP 200 and one ERROR frame holding a 410 Expired Status, which
    /// is how the real server reports it on a watch. Bookmarks, when allowed, come every
    /// BookmarkInterval. The stream ends at timeoutSeconds, when the client leaves, or abruptly
    /// when a test cuts watches.
    /// </summary>
    private async Task WatchAsync(ApiRequest r)
    {
        var labels = LabelSelector.Parse(r.Query("labelSelector"));
        var fields = FieldSelector.Parse(r.Query("fieldSelector"));
        if (r.Name is not null)
            fields = FieldSelector.Parse($"metadata.name={r.Name}" + (r.Query("fieldSelector") is { Length: > 0 } f ? "," + f : ""));
        // sendInitialEvents=true (the WatchList protocol) starts from the current state whatever
        // resourceVersion says, and marks the end of the initial events with a bookmark.
        bool initialEvents = r.QueryFlag("sendInitialEvents");
        long? from = !initialEvents && r.Query("resourceVersion") is { Length: > 0 } rvText && rvText != "0"
            ? long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : throw ApiException.BadRequest($"invalid resourceVersion \"{rvText}\"")
            : null;
        var ctx = r.Http;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var watcher = _faults.TakeExpiredWatch() ? null : Store.Watch(r.Type.Key, from);
        if (watcher is null)
        {
            var current = Store.Revision;
            var status = ApiException.Expired($"too old resource version: {from ?? 0} ({current})").ToStatus();
            await WriteFrameAsync(ctx, "ERROR", status);
            return;
        }
        using var _ = watcher;
        using var timeout = new CancellationTokenSource();
        // Everything after registering the watcher sits inside try/finally, so a watch cut or
        // left before its first flush is still unregistered (the client engineer found one that
        // stayed registered after being disposed, which made CutWatches and StopAsync throw).
        try
        {
            if (initialEvents && r.QueryFlag("allowWatchBookmarks"))
                Store.Bookmark(watcher, initialEventsEnd: true);
            if (int.TryParse(r.Query("timeoutSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
                timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, watcher.Cut, timeout.Token);
            using var bookmarks = r.QueryFlag("allowWatchBookmarks")
                ? new Timer(_ => Store.Bookmark(watcher), null, _options.BookmarkInterval, _options.BookmarkInterval)
                : null;
            await ctx.Response.BodyWriter.FlushAsync(stop.Token);
            await foreach (var e in watcher.Events.Reader.ReadAllAsync(stop.Token))
            {
                var (type, obj) = Visible(e, r, labels, fields);
                if (obj is null)
                    continue;
                if (type != "BOOKMARK" && r.Type.ConversionWebhook is not null)
                {
                    var converted = await ConvertForWatchAsync(r, obj, stop.Token);
                    if (converted is null)
                        return;   // the real server ends a watch whose object it cannot convert
                    obj = converted;
                }
                await WriteFrameAsync(ctx, type, WatchObject(r, type, obj, e.ResourceVersion), stop.Token);
            }
        }
        catch (OperationCanceledException) when (watcher.Cut.IsCancellationRequested)
        {
            ctx.Abort();
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ctx.RequestAborted.IsCancellationRequested)
        {
            // timeoutSeconds reached: end the stream cleanly.
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to say to it.
        }
        finally
        {
            Store.Unwatch(watcher);
        }
    }

    /// <summary>What this watcher sees of an event: selectors turn a MODIFIED into ADDED or DELETED at their edge.</summary>
    private static (string Type, JsonObject? Object) Visible(StoredEvent e, ApiRequest r, LabelSelector labels, FieldSelector fields)
    {
        if (e.Type == WatchEventType.Bookmark)
            return ("BOOKMARK", e.Object);
        bool Matches(JsonObject? o) => o is not null && (r.Namespace is null || Meta.Namespace(o) == r.Namespace) && labels.Matches(o) && fields.Matches(o);
        bool now = Matches(e.Object);
        if (e.Type != WatchEventType.Modified)
            return (e.Type.Wire(), now ? e.Object : null);
        bool before = Matches(e.Previous);
        return (before, now) switch
        {
            (true, true) => ("MODIFIED", e.Object),
            (false, true) => ("ADDED", e.Object),
            (true, false) => ("DELETED", e.Object),
            _ => ("MODIFIED", null),
        };
    }

    private JsonNode WatchObject(ApiRequest r, string type, JsonObject obj, long revision)
    {
        if (type == "BOOKMARK")
        {
            var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
            if (obj.ContainsKey("initialEventsEnd"))
                metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            return new JsonObject { ["kind"] = r.Type.Kind, ["apiVersion"] = r.ApiVersion, ["metadata"] = metadata };
        }
        var shown = Versioned(obj, r);
        return r.WantsTable
            ? TableWriter.Table(r.Type, r.Version, [shown], r.Query("includeObject") ?? "Metadata", Now,
                new JsonObject { ["resourceVersion"] = Meta.Str(obj, "metadata", "resourceVersion") })
            : shown;
    }

    private static async Task WriteFrameAsync(Microsoft.AspNetCore.Http.HttpContext ctx, string type, JsonNode obj, CancellationToken ct = default)
    {
        using (var w = new Utf8JsonWriter(ctx.Response.BodyWriter, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WritePropertyName("object");
            obj.WriteTo(w);
            w.WriteEndObject();
        }
        System.Buffers.BuffersExtensions.Write(ctx.Response.BodyWriter, "\n"u8);
        await ctx.Response.BodyWriter.FlushAsync(ct);
    }
}
