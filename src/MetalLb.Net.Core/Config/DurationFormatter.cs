using System.Globalization;
using System.Text;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// A duration written as Go's time.Duration.String() writes it ("0s", "1m30s", "1h0m0s",
/// "1.5s", "500ms"), which is what metav1.Duration puts on the wire. Upstream's BGPPeer
/// conversion decodes and re-encodes the timers, so a v1beta1 "90s" reads back as "1m30s".
/// </summary>
public static class DurationFormatter
{
    public static string Format(TimeSpan duration)
    {
        // TimeSpan counts 100 ns ticks; Go counts nanoseconds.
        decimal ns = duration.Ticks * 100m;
        if (ns == 0) return "0s";
        var text = new StringBuilder();
        if (ns < 0)
        {
            text.Append('-');
            ns = -ns;
        }
        if (ns < 1_000_000_000m)
        {
            // Below a second Go picks the largest unit that keeps the number >= 1.
            var (unit, size) = ns < 1_000m ? ("ns", 1m) : ns < 1_000_000m ? ("µs", 1_000m) : ("ms", 1_000_000m);
            return text.Append(Number(ns / size)).Append(unit).ToString();
        }
        decimal hours = decimal.Truncate(ns / 3_600_000_000_000m);
        ns -= hours * 3_600_000_000_000m;
        decimal minutes = decimal.Truncate(ns / 60_000_000_000m);
        ns -= minutes * 60_000_000_000m;
        if (hours > 0) text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        if (hours > 0 || minutes > 0) text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        return text.Append(Number(ns / 1_000_000_000m)).Append('s').ToString();
    }

    // Shortest decimal, no trailing zeros, as Go's fmtFrac.
    private static string Number(decimal value) =>
        value.ToString("0.#########", CultureInfo.InvariantCulture);
}
