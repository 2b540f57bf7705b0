using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Schema;

/// <summary>
/// Values of the CEL subset: JSON scalars become long, double, string, bool or null; lists and
/// maps stay JsonArray / JsonObject; duration() gives a TimeSpan. Also Go's duration syntax
/// ("1h2m3.5s", "500ms"), which CEL's duration() parses.
/// </summary>
internal static class CelValues
{
    public static object? FromJson(JsonNode? node)
    {
        if (node is null or JsonObject or JsonArray)
            return node;
        var text = node.ToJsonString();
        return node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            JsonValueKind.Number => double.Parse(text, CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    public static bool Equal(object? a, object? b) => (a, b) switch
    {
        (long x, double y) => x == y,
        (double x, long y) => x == y,
        (JsonNode x, JsonNode y) => JsonNode.DeepEquals(x, y),
        _ => Equals(a, b),
    };

    public static int Compare(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (long x, double y) => ((double)x).CompareTo(y),
        (double x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        (TimeSpan x, TimeSpan y) => x.CompareTo(y),
        _ => throw new CelException($"no such overload: comparing {Type(a)} and {Type(b)}"),
    };

    public static string Type(object? v) => v switch
    {
        null => "null",
        long => "int",
        double => "double",
        string => "string",
        bool => "bool",
        JsonArray => "list",
        JsonObject => "map",
        TimeSpan => "duration",
        _ => v.GetType().Name,
    };

    public static TimeSpan ParseDuration(string text)
    {
        var rest = text.Trim();
        if (rest.Length == 0)
            throw new CelException($"invalid duration \"{text}\"");
        bool negative = rest.StartsWith('-');
        rest = rest.TrimStart('-', '+');
        double totalNs = 0;
        while (rest.Length > 0)
        {
            int i = 0;
            while (i < rest.Length && (char.IsAsciiDigit(rest[i]) || rest[i] == '.'))
                i++;
            if (i == 0 || !double.TryParse(rest[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                throw new CelException($"invalid duration \"{text}\"");
            rest = rest[i..];
            var unit = (string[])["ns", "us", "µs", "ms", "s", "m", "h"];
            var found = unit.OrderByDescending(u => u.Length).FirstOrDefault(u => rest.StartsWith(u, StringComparison.Ordinal))
                ?? throw new CelException($"invalid duration \"{text}\": missing unit");
            rest = rest[found.Length..];
            totalNs += number * found switch
            {
                "ns" => 1,
                "us" or "µs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                _ => 3600e9,
            };
        }
        var ticks = (long)Math.Round(totalNs / 100);
        return TimeSpan.FromTicks(negative ? -ticks : ticks);
    }
}
