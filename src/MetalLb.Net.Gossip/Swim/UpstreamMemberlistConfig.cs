using System.Text.Json;

namespace MetalLb.Net.Gossip.Swim;

/// <summary>
/// Upstream MetalLB's optional memberlist override file (/etc/metallb/memberlist/config.json
/// from the metallb-memberlist-config ConfigMap, docs/upstream-speaker.md §5): every field is
/// required, durations are Go duration strings. Applying it to our options keeps an existing
/// tuning working after migration. Fields with no counterpart here (the handoff queue, the
/// queue check interval, the DNS config) are checked for presence and type, then ignored.
/// </summary>
public static class UpstreamMemberlistConfig
{
    private static readonly string[] Durations =
        ["TCPTimeout", "PushPullInterval", "ProbeTimeout", "ProbeInterval", "GossipInterval", "GossipToTheDeadTime", "QueueCheckInterval"];

    private static readonly string[] Integers =
        ["IndirectChecks", "RetransmitMult", "SuspicionMult", "SuspicionMaxTimeoutMult", "AwarenessMaxMultiplier", "GossipNodes", "HandoffQueueDepth", "UDPBufferSize"];

    private static readonly string[] Booleans =
        ["DisableTcpPings", "GossipVerifyIncoming", "GossipVerifyOutgoing", "EnableCompression"];

    /// <summary>Applies <paramref name="json"/> over <paramref name="options"/>; on any error returns false with every error listed.</summary>
    public static bool TryApply(string json, MemberlistOptions options, out MemberlistOptions result, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        result = options;
        var problems = new List<string>();
        errors = problems;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            problems.Add($"not JSON: {e.Message}");
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add("the file must hold one JSON object");
                return false;
            }
            var durations = Read<TimeSpan>(root, Durations, problems, "must be a Go duration such as \"500ms\"", ReadDuration);
            var integers = Read<int>(root, Integers, problems, "must be a non-negative integer", ReadInteger);
            var booleans = Read<bool>(root, Booleans, problems, "must be true or false", ReadBoolean);
            if (durations.TryGetValue("ProbeInterval", out var interval) && interval <= TimeSpan.Zero)
                problems.Add("ProbeInterval must be positive");
            if (durations.TryGetValue("GossipInterval", out var gossip) && gossip <= TimeSpan.Zero)
                problems.Add("GossipInterval must be positive");
            if (problems.Count > 0)
                return false;
            result = With(options, durations, integers, booleans);
            return true;
        }
    }

    private delegate bool Reader<T>(JsonElement value, out T result);

    /// <summary>Every named field, read or its problem listed: all of them are required.</summary>
    private static Dictionary<string, T> Read<T>(JsonElement root, string[] names, List<string> problems, string expected, Reader<T> read)
    {
        var values = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!root.TryGetProperty(name, out var value))
                problems.Add($"{name} is required");
            else if (!read(value, out var v))
                problems.Add($"{name} {expected}");
            else
                values[name] = v;
        }
        return values;
    }

    private static bool ReadDuration(JsonElement value, out TimeSpan duration)
    {
        duration = default;
        return value.ValueKind == JsonValueKind.String && GoDuration.TryParse(value.GetString(), out duration) && duration >= TimeSpan.Zero;
    }

    private static bool ReadInteger(JsonElement value, out int integer)
    {
        integer = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out integer) && integer >= 0;
    }

    private static bool ReadBoolean(JsonElement value, out bool boolean)
    {
        boolean = value.ValueKind == JsonValueKind.True;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False;
    }

    private static MemberlistOptions With(MemberlistOptions options, Dictionary<string, TimeSpan> durations,
        Dictionary<string, int> integers, Dictionary<string, bool> booleans) => options with
    {
        TcpTimeout = durations["TCPTimeout"],
        PushPullInterval = durations["PushPullInterval"],
        ProbeTimeout = durations["ProbeTimeout"],
        ProbeInterval = durations["ProbeInterval"],
        GossipInterval = durations["GossipInterval"],
        GossipToTheDeadTime = durations["GossipToTheDeadTime"],
        IndirectChecks = integers["IndirectChecks"],
        RetransmitMult = integers["RetransmitMult"],
        SuspicionMult = integers["SuspicionMult"],
        SuspicionMaxTimeoutMult = integers["SuspicionMaxTimeoutMult"],
        AwarenessMaxMultiplier = integers["AwarenessMaxMultiplier"],
        GossipNodes = integers["GossipNodes"],
        UdpBufferSize = integers["UDPBufferSize"],
        DisableTcpPings = booleans["DisableTcpPings"],
        EnableCompression = booleans["EnableCompression"],
    };
}
