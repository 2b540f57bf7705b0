namespace MetalLb.Net.Gossip.Swim;

/// <summary>
/// Lifeguard's dynamic suspicion timeout (memberlist's suspicion.go behaviour): it starts at
/// max and falls logarithmically towards min as independent members confirm the suspicion,
/// reaching min at k confirmations.
/// </summary>
internal static class SuspicionTimeout
{
    /// <summary>min = mult x max(1, log10(n)) x probe interval: bigger clusters need longer to spread a refutation.</summary>
    public static TimeSpan Min(int suspicionMult, int nodes, TimeSpan probeInterval)
    {
        var scale = Math.Max(1.0, Math.Log10(Math.Max(1.0, nodes)));
        return TimeSpan.FromTicks((long)(suspicionMult * scale * probeInterval.Ticks));
    }

    /// <summary>Confirmations expected before min applies: mult - 2, or none in clusters too small to provide them.</summary>
    public static int ExpectedConfirmations(int suspicionMult, int nodes)
    {
        var k = suspicionMult - 2;
        return nodes - 2 < k ? 0 : Math.Max(0, k);
    }

    public static TimeSpan Timeout(int confirmations, int expected, TimeSpan min, TimeSpan max)
    {
        if (expected < 1)
            return min;
        var fraction = Math.Log(confirmations + 1.0) / Math.Log(expected + 1.0);
        var raw = max.TotalMilliseconds - fraction * (max.TotalMilliseconds - min.TotalMilliseconds);
        var timeout = TimeSpan.FromMilliseconds(Math.Floor(raw));
        return timeout < min ? min : timeout;
    }
}
