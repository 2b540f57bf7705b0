using System.Diagnostics.Metrics;
using System.Text;

namespace MetalLb.Net.Hosting.Metrics;

/// <summary>
/// Metric and label names. Our instruments already carry Prometheus names (upstream's
/// metallb_* names, kept even where promtool's lint would prefer another suffix, because
/// dashboards depend on them). Dotted OpenTelemetry names, such as the runtime's
/// dotnet.gc.collections, become dotnet_gc_collections_total.
/// </summary>
internal static class PrometheusNames
{
    public static string For(Instrument instrument, MetricKind kind)
    {
        string name = Sanitize(instrument.Name, allowColon: true);
        bool otelStyle = instrument.Name.Contains('.', StringComparison.Ordinal);
        if (otelStyle && kind.PrometheusType == "counter" && !name.EndsWith("_total", StringComparison.Ordinal))
            name += "_total";
        return name;
    }

    /// <summary>[a-zA-Z_:][a-zA-Z0-9_:]* for metrics, no colon for labels; anything else becomes '_'.</summary>
    public static string Sanitize(string name, bool allowColon)
    {
        var b = new StringBuilder(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool ok = char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':') || (i > 0 && char.IsAsciiDigit(c));
            b.Append(ok ? c : '_');
        }
        return b.Length == 0 ? "_" : b.ToString();
    }
}
