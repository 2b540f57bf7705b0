using System.Globalization;
using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Tables;

/// <summary>The AGE cell: kubectl's short human duration ("42s", "5m10s", "3h", "12d").</summary>
internal static class Age
{
    public static JsonNode Of(JsonObject obj, DateTimeOffset now)
    {
        var created = Meta.Str(obj, "metadata", "creationTimestamp");
        if (created is null || !DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            return "<unknown>";
        return Human(now - t);
    }

    public static string Human(TimeSpan d)
    {
        if (d < TimeSpan.Zero)
            d = TimeSpan.Zero;
        var s = (long)d.TotalSeconds;
        if (s < 120)
            return $"{s}s";
        var m = s / 60;
        if (m < 10)
            return s % 60 == 0 ? $"{m}m" : $"{m}m{s % 60}s";
        if (m < 180)
            return $"{m}m";
        var h = m / 60;
        if (h < 8)
            return m % 60 == 0 ? $"{h}h" : $"{h}h{m % 60}m";
        if (h < 48)
            return $"{h}h";
        var days = h / 24;
        if (days < 8)
            return h % 24 == 0 ? $"{days}d" : $"{days}d{h % 24}h";
        if (days < 730)
            return $"{days}d";
        return $"{days / 365}y{days % 365}d";
    }
}
