using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Watch;

namespace MetalLb.Net.Kube.Rest;

/// <summary>
/// Reads list bodies and watch lines straight from UTF-8 with the item type's source-generated
/// metadata, so no generic list model is needed per kind.
/// </summary>
internal static class WireJson
{
    /// <summary>A list body; anything malformed is a JsonException, never another exception.</summary>
    public static KubeList<T> ReadList<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> info)
    {
        try
        {
            return ReadListCore(json, info);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader.GetString on a non-string token: the body is not the shape we expect.
            throw new JsonException($"malformed list: {e.Message}", e);
        }
    }

    /// <summary>One line of a watch stream; anything malformed is a JsonException.</summary>
    public static WatchEvent<T> ReadWatchEvent<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> info) where T : KubeObject
    {
        try
        {
            return ReadWatchEventCore(json, info);
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException($"malformed watch event: {e.Message}", e);
        }
    }

    private static KubeList<T> ReadListCore<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> info)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        var items = new List<T>();
        string? resourceVersion = null, next = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("metadata"u8))
            {
                Expect(ref reader, JsonTokenType.StartObject);
                // resourceVersion and continue are strings; GetString rejects anything else.
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("resourceVersion"u8)) { reader.Read(); resourceVersion = reader.GetString(); }
                    else if (reader.ValueTextEquals("continue"u8)) { reader.Read(); next = reader.GetString(); }
                    else { reader.Read(); reader.Skip(); }
                }
            }
            else if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                    continue;
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw new JsonException("items is not an array");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(JsonSerializer.Deserialize(ref reader, info) ?? throw new JsonException("null item in a list"));
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new KubeList<T>(items, resourceVersion, next);
    }

    // {"type":"ADDED","object":{...}} in either field order.
    private static WatchEvent<T> ReadWatchEventCore<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> info) where T : KubeObject
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        string? type = null;
        int objectStart = -1, objectEnd = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8)) { reader.Read(); type = reader.GetString(); }
            else if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                objectStart = (int)reader.TokenStartIndex;
                reader.Skip();
                objectEnd = (int)reader.BytesConsumed;
            }
            else { reader.Read(); reader.Skip(); }
        }
        if (type is null || objectStart < 0)
            throw new JsonException("watch event without type or object");
        ReadOnlySpan<byte> obj = json[objectStart..objectEnd];
        WatchEventType kind = type switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            _ => throw new JsonException($"unknown watch event type {type}"),
        };
        if (kind == WatchEventType.Error)
            return new WatchEvent<T>(kind, null, JsonSerializer.Deserialize(obj, KubeJsonContext.Default.KubeStatus));
        T value = JsonSerializer.Deserialize(obj, info) ?? throw new JsonException("watch event with a null object");
        return new WatchEvent<T>(kind, value, null, value.Metadata.ResourceVersion);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
            throw new JsonException($"expected {token}, found {reader.TokenType}");
    }
}
