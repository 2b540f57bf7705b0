using System.Globalization;

namespace MetalLb.Net.Gossip.Swim;

/// <summary>
/// Parses Go's time.Duration text ("500ms", "1m30s", "1.5h", "-2s"), the format of upstream's
/// memberlist override file. Units: ns, us (or µs, μs), ms, s, m, h; a bare "0" is allowed.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
            return false;
        var span = text.AsSpan();
        var negative = span[0] == '-';
        if (span[0] is '-' or '+')
            span = span[1..];
        if (span is "0")
            return true;
        if (span.IsEmpty)
            return false;
        double ticks = 0;
        while (!span.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < span.Length && (char.IsAsciiDigit(span[numberLength]) || span[numberLength] == '.'))
                numberLength++;
            if (numberLength == 0 || !double.TryParse(span[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return false;
            span = span[numberLength..];
            var unitLength = 0;
            while (unitLength < span.Length && !char.IsAsciiDigit(span[unitLength]) && span[unitLength] != '.')
                unitLength++;
            var unit = span[..unitLength].ToString();
            var match = Array.FindIndex(Units, u => u.Unit == unit);
            if (match < 0)
                return false;   // Go requires a unit on every number but a lone 0
            ticks += number * Units[match].Ticks;
            span = span[unitLength..];
        }
        if (ticks > TimeSpan.MaxValue.Ticks)
            return false;
        value = TimeSpan.FromTicks((long)Math.Round(negative ? -ticks : ticks));
        return true;
    }
}
