using System.Globalization;
using System.Text;

namespace MetalLb.Net.Lab;

/// <summary>
/// The speakers' own gossip counters during the soak, read from each speaker's /metrics (the
/// port it was started with, in its node's namespace): members declared dead, suspicions, and
/// verdicts that waited for unread packets. A restarted speaker's counters start from zero
/// again; <see cref="LabSoakCounter"/> keeps the totals growing. The logs give the times; these
/// give the counts, including what a speaker never logs (a suspicion that was refuted).
/// </summary>
public sealed class LabSoakGossip : IDisposable
{
    public const string Deaths = "metallb_gossip_deaths_declared_total";
    public const string Suspicions = "metallb_gossip_suspicions_total";
    public const string Deferred = "metallb_gossip_suspicions_deferred_total";
    private static readonly string[] Counted = [Deaths, Suspicions, Deferred];

    private readonly Dictionary<string, (NamespaceSockets Sockets, Dictionary<int, HttpClient> Http)> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Node, string Metric), LabSoakCounter> _counters = [];

    /// <summary>Speakers whose /metrics could not be read at the last look (each is named, so a gap in the counts shows).</summary>
    public IReadOnlyList<string> Unread { get; private set; } = [];

    /// <summary>The total of one counter over all speakers since the first look.</summary>
    public long Total(string metric) => _counters.Where(kv => kv.Key.Metric == metric).Sum(kv => kv.Value.Total);

    /// <summary>Reads every running speaker's counters once; the first call is the baseline.</summary>
    public async Task ReadAsync(LabState state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        var unread = new List<string>();
        foreach (var node in state.Nodes)
        {
            var speaker = state.Processes.FirstOrDefault(p => p.Name == "speaker-" + node.Name);
            string? text = speaker is null ? null : await ScrapeAsync(node, PortOf(speaker.Pid), ct);
            if (text is null)
            {
                unread.Add(node.Name);
                continue;
            }
            foreach (var (metric, value) in Parse(text))
            {
                if (!_counters.TryGetValue((node.Name, metric), out var counter))
                    _counters[(node.Name, metric)] = counter = new LabSoakCounter();
                counter.Observe(value);
            }
        }
        Unread = unread;
    }

    /// <summary>The counted series' values in a Prometheus text exposition (a speaker labels its one member).</summary>
    public static IEnumerable<(string Metric, long Value)> Parse(string exposition)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        foreach (string line in exposition.Split('\n'))
        {
            if (line.StartsWith('#'))
                continue;
            foreach (string metric in Counted)
            {
                if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length == metric.Length || line[metric.Length] is not ('{' or ' '))
                    continue;
                string number = line[(line.LastIndexOf(' ') + 1)..].Trim();
                if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    yield return (metric, (long)v);
            }
        }
    }

    /// <summary>The speaker's --port (the chart passes --port=9120; the direct path --port 7472).</summary>
    public static int PortOf(int pid)
    {
        string[] args;
        try
        {
            args = File.ReadAllText($"/proc/{pid}/cmdline", Encoding.UTF8).Split('\0');
        }
        catch (IOException)
        {
            return DaemonCommands.SpeakerPort;
        }
        for (int i = 0; i < args.Length; i++)
        {
            string? value = args[i].StartsWith("--port=", StringComparison.Ordinal) ? args[i]["--port=".Length..]
                : args[i] == "--port" && i + 1 < args.Length ? args[i + 1] : null;
            if (value is not null && int.TryParse(value, CultureInfo.InvariantCulture, out int port))
                return port;
        }
        return DaemonCommands.SpeakerPort;
    }

    private async Task<string?> ScrapeAsync(LabStateNode node, int port, CancellationToken ct)
    {
        if (!_nodes.TryGetValue(node.Name, out var n))
            _nodes[node.Name] = n = (new NamespaceSockets(node.Namespace), []);
        if (!n.Http.TryGetValue(port, out var http))
            n.Http[port] = http = n.Sockets.HttpClient(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            return await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return null;   // a starved or restarting speaker: named in Unread, counted at the next look
        }
    }

    public void Dispose()
    {
        foreach (var (sockets, http) in _nodes.Values)
        {
            foreach (var client in http.Values)
                client.Dispose();
            sockets.Dispose();
        }
    }
}
