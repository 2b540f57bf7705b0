using YamlDotNet.Serialization;

namespace MetalLb.Net.TestKit;

/// <summary>YAML manifest text to JSON text, for sending fixtures from deploy/.</summary>
public static class YamlJson
{
    public static string Convert(string yaml)
    {
        object? doc = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize(new StringReader(yaml));
        return new SerializerBuilder().JsonCompatible().Build().Serialize(doc);
    }
}
