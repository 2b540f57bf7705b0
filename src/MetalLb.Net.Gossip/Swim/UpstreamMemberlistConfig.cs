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
            var durations = new Dictionary<string, TimeSpan>();
            var integers = new Dictionary<string, int>();
            var booleans = new Dictionary<string, bool>();
            foreach (var name in Durations)
            {
                if (!root.TryGetProperty(name, out var value))
                    problems.Add($"{name} is required");
                else if (value.ValueKind != JsonValueKind.String || !GoDuration.TryParse(value.GetString(), out var d) || d < TimeSpan.Zero)
                    problems.Add($"{name} must be a Go duration such as \"500ms\"");
                else
                    durations[name] = d;
            }
            foreach (var name in Integers)
            {
                if (!root.TryGetProperty(name, out var value))
                    problems.Add($"{name} is required");
                else if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var i) || i < 0)
                    problems.Add($"{name} must be a non-negative integer");
                else
                    integers[name] = i;
            }
            foreach (var name in Booleans)
            {
                if (!root.TryGetProperty(name, out var value))
                    problems.Add($"{name} is required");
                else if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    problems.Add($"{name} must be true or false");
                else
                    booleans[name] = value.GetBoolean();
            }
            if (durations.TryGetValue("ProbeInterval", out var interval) && interval <= TimeSpan.Zero)
                problems.Add("ProbeInterval must be positive");
            if (durations.TryGetValue("GossipInterval", out var gossip) && gossip <= TimeSpan.Zero)
                problems.Add("GossipInterval must be positive");
            if (problems.Count > 0)
                return false;
            result = options with
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
            return true;
        }
    }
}
