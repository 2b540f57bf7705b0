using System.Text.Json;

namespace MetalLb.Net.Lab;

/// <summary>
/// A counter read again and again from a source that may restart from zero (a restarted
/// speaker's metrics): the total only grows, by each increase seen, and after a drop by the
/// new value.
/// </summary>
public sealed class LabSoakCounter
{
    private long? _last;

    public long Total { get; private set; }

    /// <summary>The first reading is the baseline; later ones add what happened since.</summary>
    public void Observe(long value)
    {
        if (_last is { } last)
            Total += value >= last ? value - last : value;
        _last = value;
    }
}

/// <summary>Reads FRR's session counters for the soak.</summary>
public static class LabSoakCounters
{
    /// <summary>
    /// FRR's sessions to the nodes: by neighbor, how many times each was established and dropped
    /// (`show bgp neighbors json`'s connectionsEstablished / connectionsDropped), or empty when
    /// the lab has no router.
    /// </summary>
    public static IReadOnlyDictionary<string, (long Established, long Dropped, string State)> BgpNeighbors(LabState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var result = new Dictionary<string, (long, long, string)>(StringComparer.Ordinal);
        if (state.Mode == LabMode.L2 || state.RouterNamespace.Length == 0)
            return result;
        var r = LabShell.InNs(state.RouterNamespace, "vtysh", "--vty_socket", Path.Combine(LabPaths.Dir(state.Name), "frr"), "-c", "show bgp neighbors json");
        if (r.ExitCode != 0 || !r.Stdout.TrimStart().StartsWith('{'))
            return result;
        using var doc = JsonDocument.Parse(r.Stdout);
        foreach (var n in doc.RootElement.EnumerateObject())
        {
            if (n.Value.ValueKind != JsonValueKind.Object)
                continue;
            long up = n.Value.TryGetProperty("connectionsEstablished", out var e) ? e.GetInt64() : 0;
            long down = n.Value.TryGetProperty("connectionsDropped", out var d) ? d.GetInt64() : 0;
            string s = n.Value.TryGetProperty("bgpState", out var st) ? st.GetString() ?? "" : "";
            result[n.Name] = (up, down, s);
        }
        return result;
    }
}
