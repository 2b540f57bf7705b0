using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MetalLb.Net.KubeEmulator.Store;
using MetalLb.Net.KubeEmulator.Tables;

namespace MetalLb.Net.KubeEmulator.Http;

internal sealed partial class ApiServer
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    private static async Task WriteJsonAsync(HttpContext ctx, int code, JsonNode body, string contentType = "application/json")
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = contentType;
        using (var writer = new Utf8JsonWriter(ctx.Response.BodyWriter, WriterOptions))
            body.WriteTo(writer);
        await ctx.Response.BodyWriter.FlushAsync(ctx.RequestAborted);
    }

    /// <summary>The object as the requested version shows it (only apiVersion differs between versions).</summary>
    private static JsonObject Versioned(JsonObject obj, ApiRequest r)
    {
        if (Meta.Str(obj, "apiVersion") == r.ApiVersion)
            return obj;
        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = r.ApiVersion;
        return copy;
    }

    /// <summary>One object, or a one-row Table when kubectl asked for one.</summary>
    private async Task WriteObjectAsync(ApiRequest r, int code, JsonObject obj)
    {
        var shown = Versioned(await ConvertForRequestAsync(r.Type, obj, r.Version, r.Http.RequestAborted), r);
        if (r.WantsTable)
            await WriteJsonAsync(r.Http, code, TableWriter.Table(r.Type, r.Version, [shown], r.Query("includeObject") ?? "Metadata", Now,
                new JsonObject { ["resourceVersion"] = Meta.Str(obj, "metadata", "resourceVersion") }));
        else
            await WriteJsonAsync(r.Http, code, shown);
    }

    /// <summary>A list written straight from the stored objects (no copies: lists of thousands stay cheap).</summary>
    private async Task WriteListAsync(ApiRequest r, List<JsonObject> items, long revision, string? continueToken, int remaining)
    {
        if (r.Type.ConversionWebhook is not null)
            items = await ConvertForRequestAsync(r.Type, items, r.Version, r.Http.RequestAborted);
        var listMeta = new JsonObject { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            listMeta["continue"] = continueToken;
            listMeta["remainingItemCount"] = remaining;
        }
        if (r.WantsTable)
        {
            await WriteJsonAsync(r.Http, 200, TableWriter.Table(r.Type, r.Version, items.Select(o => Versioned(o, r)), r.Query("includeObject") ?? "Metadata", Now, listMeta));
            return;
        }
        var ctx = r.Http;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(ctx.Response.BodyWriter, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("kind", r.Type.ListKind);
            w.WriteString("apiVersion", r.ApiVersion);
            w.WritePropertyName("metadata");
            listMeta.WriteTo(w);
            w.WriteStartArray("items");
            foreach (var item in items)
            {
                Versioned(item, r).WriteTo(w);
                if (w.BytesPending > 32 * 1024)
                    w.Flush();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        await ctx.Response.BodyWriter.FlushAsync(ctx.RequestAborted);
    }

    private static async Task<JsonObject> ReadBodyAsync(ApiRequest r)
    {
        if (IsProtobuf(r) && KubeProtobuf.Supports(r.Type))
        {
            using var buffer = new MemoryStream();
            await r.Http.Request.Body.CopyToAsync(buffer, r.Http.RequestAborted);
            return KubeProtobuf.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), r.Type);
        }
        var node = await JsonNode.ParseAsync(r.Http.Request.Body, cancellationToken: r.Http.RequestAborted);
        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
    }

    private static bool IsProtobuf(ApiRequest r) =>
        r.Http.Request.ContentType?.Contains("protobuf", StringComparison.Ordinal) == true;
}
