using System.Globalization;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// Samples of a Prometheus text exposition by series ("name" or "name{labels}" exactly as
/// written), read the plain way a test needs: no escapes in our label values, no timestamps.
/// </summary>
internal sealed class Exposition
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    public Exposition(string text)
    {
        Text = text;
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
                continue;
            int space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                _samples[line[..space]] = value;
        }
    }

    public string Text { get; }

    public double? this[string series] => _samples.TryGetValue(series, out double v) ? v : null;

    /// <summary>True when some sample's name starts with <paramref name="prefix"/> (process_, dotnet_).</summary>
    public bool HasFamilyStartingWith(string prefix) => _samples.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));

    public static async Task<Exposition> ScrapeAsync(HttpClient http) =>
        new(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
}
