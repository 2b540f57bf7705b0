using System.Globalization;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// Go duration strings as metav1.Duration reads them ("90s", "1m30s", "500ms", "1.5h", "0"):
/// an optional sign, then one or more decimal numbers each followed by a unit
/// (ns, us, µs, ms, s, m, h). Precision below 100 ns (one tick) is dropped.
/// </summary>
public static class DurationParser
{
    private static readonly (string Unit, decimal Nanoseconds)[] Units =
    [
        ("ns", 1m), ("us", 1_000m), ("µs", 1_000m), ("μs", 1_000m), ("ms", 1_000_000m),
        ("s", 1_000_000_000m), ("m", 60_000_000_000m), ("h", 3_600_000_000_000m),
    ];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text)) return false;
        int i = 0;
        bool negative = false;
        if (text[0] is '+' or '-')
        {
            negative = text[0] == '-';
            i = 1;
        }
        if (text[i..] == "0") return true;   // Go accepts a bare zero without a unit
        if (i == text.Length) return false;
        decimal total = 0;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
            string number = text[start..i];
            if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1) return false;
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
                return false;
            int unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.') i++;
            string unit = text[unitStart..i];
            var match = Array.Find(Units, u => u.Unit == unit);
            if (match.Unit is null) return false;   // missing or unknown unit
            // Go: "invalid duration" on overflow. Checked before multiplying: decimal itself
            // overflows on "30099999999999999999999m" (found by ManifestFuzzTests).
            if (value > (long.MaxValue - total) / match.Nanoseconds) return false;
            total += value * match.Nanoseconds;
        }
        long ticks = (long)(total / 100m);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }
}
