using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetalLb.Net.Api.Core;

/// <summary>intstr.IntOrString: a port number or a port name.</summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly record struct IntOrString(int? Int, string? String)
{
    public override string ToString() => Int?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? String ?? "";
}

public sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => new IntOrString(reader.GetInt32(), null),
            JsonTokenType.String => new IntOrString(null, reader.GetString()),
            _ => throw new JsonException("expected a number or a string"),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Int is int i) writer.WriteNumberValue(i);
        else writer.WriteStringValue(value.String);
    }
}
