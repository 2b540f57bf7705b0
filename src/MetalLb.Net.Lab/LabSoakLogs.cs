using System.Text;
using System.Text.Json;

namespace MetalLb.Net.Lab;

/// <summary>
/// Reads what the speakers logged since the soak began (their JSON log lines in the lab's
/// folder): gossip members declared dead (memberlist event 1403) and layer-2 takeovers and
/// releases of an IP (events 3201 "this node now answers for" and 3202). The logs give each
/// event's time and node; the counts of deaths also come from the speakers' /metrics (<see cref="LabSoakGossip"/>).
/// </summary>
public sealed class LabSoakLogs
{
    public const int DeclaredDead = 1403, NowAnswers = 3201, NoLongerAnswers = 3202;

    private readonly string _dir;
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private readonly List<LabSoakLogEvent> _events = [];

    /// <summary>Starts at the logs' current ends: only what is logged from now on counts.</summary>
    public LabSoakLogs(string lab, IEnumerable<string> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _dir = LabPaths.Dir(lab);
        foreach (string node in nodes)
            _offsets[node] = Length(LogOf(node));
    }

    public IReadOnlyList<LabSoakLogEvent> Events => _events;

    public int Deaths => _events.Count(e => e.EventId == DeclaredDead);

    public int Takeovers => _events.Count(e => e.EventId == NowAnswers);

    /// <summary>Reads the lines added since the last call (a log that shrank was started again: read it from the top).</summary>
    public void Read()
    {
        foreach (string node in _offsets.Keys.ToList())
        {
            string path = LogOf(node);
            long length = Length(path);
            long from = length < _offsets[node] ? 0 : _offsets[node];
            if (length == from)
                continue;
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            f.Seek(from, SeekOrigin.Begin);
            var bytes = new byte[length - from];
            f.ReadExactly(bytes);
            // Only whole lines; a line still being written is read next time.
            int end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
            _offsets[node] = from + end;
            foreach (string line in Encoding.UTF8.GetString(bytes, 0, end).Split('\n'))
            {
                if (Parse(node, line) is { } e)
                    _events.Add(e);
            }
        }
    }

    /// <summary>One of the events counted, from one JSON log line; null for any other line.</summary>
    public static LabSoakLogEvent? Parse(string node, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.Contains($"\"EventId\":{DeclaredDead},", StringComparison.Ordinal)
            && !line.Contains($"\"EventId\":{NowAnswers},", StringComparison.Ordinal)
            && !line.Contains($"\"EventId\":{NoLongerAnswers},", StringComparison.Ordinal))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            int id = root.GetProperty("EventId").GetInt32();
            var state = root.TryGetProperty("State", out var s) ? s : default;
            string subject = id == DeclaredDead
                ? state.ValueKind == JsonValueKind.Object && state.TryGetProperty("Member", out var m) ? m.GetString() ?? "" : ""
                : state.ValueKind == JsonValueKind.Object && state.TryGetProperty("Ip", out var ip) ? ip.GetString() ?? "" : "";
            return new LabSoakLogEvent(root.GetProperty("Timestamp").GetDateTimeOffset(), node, id, subject);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private string LogOf(string node) => Path.Combine(_dir, $"speaker-{node}.log");

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}

/// <summary>A counted speaker log event: when, on which node, which event, and about whom (the member declared dead, or the IP).</summary>
public sealed record LabSoakLogEvent(DateTimeOffset At, string Node, int EventId, string Subject)
{
    public override string ToString() => EventId switch
    {
        LabSoakLogs.DeclaredDead => $"{At:HH:mm:ss.fff} {Node} declared {Subject} dead",
        LabSoakLogs.NowAnswers => $"{At:HH:mm:ss.fff} {Node} now answers for {Subject}",
        _ => $"{At:HH:mm:ss.fff} {Node} no longer answers for {Subject}",
    };
}
