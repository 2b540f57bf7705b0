namespace MetalLb.Net.Core.Config;

/// <summary>BGPPeer timers (docs/upstream-controller.md R5, connectTime CEL rule of §2.5).</summary>
internal static class PeerTimers
{
    /// <summary>
    /// Only hold set → keepalive = hold/3; only keepalive set → hold = 3×keepalive. The hold
    /// time, truncated to whole seconds, must be 0 or at least 3 s (RFC 4271 §4.2), and
    /// keepalive must not exceed it. Neither set → both null (engine default).
    /// </summary>
    public static (TimeSpan? Hold, TimeSpan? Keepalive) Resolve(string? holdText, string? keepaliveText, Action<string> problem)
    {
        var hold = Parse(holdText, "holdTime", problem);
        var keepalive = Parse(keepaliveText, "keepaliveTime", problem);
        if ((holdText is not null && hold is null) || (keepaliveText is not null && keepalive is null)) return (null, null);
        if (hold is null && keepalive is null) return (null, null);
        TimeSpan h = hold ?? keepalive!.Value * 3;
        TimeSpan k = keepalive ?? TimeSpan.FromTicks(h.Ticks / 3);   // integer division, as Go's Duration / 3
        var rounded = TimeSpan.FromSeconds(Math.Truncate(h.TotalSeconds));
        if (rounded != TimeSpan.Zero && rounded < TimeSpan.FromSeconds(3))
        {
            problem($"invalid hold time \"{holdText ?? h.ToString()}\": must be 0 or >=3s");
            return (null, null);
        }
        if (k > h)
        {
            problem($"invalid keepaliveTime \"{keepaliveText}\", must be lower than holdTime \"{holdText}\"");
            return (null, null);
        }
        return (h, k);
    }

    /// <summary>connectTime: whole seconds in 1..65535 (the CRD's CEL rule, checked here for offline input).</summary>
    public static TimeSpan? ParseConnectTime(string? text, Action<string> problem)
    {
        var connect = Parse(text, "connectTime", problem);
        if (connect is not TimeSpan c) return null;
        if (c.Ticks % TimeSpan.TicksPerSecond != 0 || c < TimeSpan.FromSeconds(1) || c > TimeSpan.FromSeconds(65535))
        {
            problem($"invalid connectTime \"{text}\": must be whole seconds between 1s and 65535s");
            return null;
        }
        return c;
    }

    private static TimeSpan? Parse(string? text, string field, Action<string> problem)
    {
        if (text is null) return null;
        if (!DurationParser.TryParse(text, out var value))
        {
            problem($"invalid {field} \"{text}\": use a duration such as \"90s\" or \"1m30s\"");
            return null;
        }
        if (value < TimeSpan.Zero)
        {
            problem($"invalid {field} \"{text}\": must not be negative");
            return null;
        }
        return value;
    }
}
