using System.Net;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Layer2;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Speaker.Sinks;

/// <summary>
/// Pushes the IPs this node won into the ARP/NDP responders as one owned set. An IP whose
/// L2Advertisements name only interfaces this node does not have is not announced, and no
/// other node takes over (upstream's documented limitation, docs/upstream-speaker.md §4.3): the caller reports
/// it as announceFailed.
/// </summary>
internal sealed partial class Layer2Sink
{
    private readonly Layer2Announcer _announcer;
    private readonly ILogger _log;
    private Dictionary<IPAddress, IReadOnlyCollection<string>?> _applied = [];

    public Layer2Sink(Layer2Announcer announcer, ILogger log)
    {
        _announcer = announcer;
        _log = log;
    }

    /// <summary>Names of the links the responders run on now.</summary>
    public IReadOnlySet<string> Links => _announcer.ActiveLinks.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The interfaces to answer on for a won IP: null for every link, the listed names present
    /// on this node, or an empty list when none of them is here (nothing to announce).
    /// </summary>
    public IReadOnlyCollection<string>? Resolve(AnnounceInterfaces interfaces, IReadOnlySet<string> links)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        if (interfaces.All)
            return null;
        return interfaces.Names.Where(links.Contains).ToList();
    }

    public void Apply(Dictionary<IPAddress, IReadOnlyCollection<string>?> owned)
    {
        if (owned.Count == _applied.Count && owned.All(kv => _applied.TryGetValue(kv.Key, out var v) && SameLinks(v, kv.Value)))
            return;
        foreach (var ip in owned.Keys.Where(ip => !_applied.ContainsKey(ip)))
            LogOwned(ip.ToString());
        foreach (var ip in _applied.Keys.Where(ip => !owned.ContainsKey(ip)))
            LogReleased(ip.ToString());
        _announcer.SetOwned(owned);
        _applied = owned;
    }

    /// <summary>Announces every IP this node answers for again (takeover rounds), e.g. after a member joined.</summary>
    public void Reannounce()
    {
        if (_applied.Count == 0)
            return;
        LogReannounce(_applied.Count);
        _announcer.Reannounce();
    }

    private static bool SameLinks(IReadOnlyCollection<string>? a, IReadOnlyCollection<string>? b) =>
        a is null ? b is null : b is not null && a.Order(StringComparer.Ordinal).SequenceEqual(b.Order(StringComparer.Ordinal));

    [LoggerMessage(3201, LogLevel.Information, "layer2: this node now answers for {Ip}")]
    private partial void LogOwned(string ip);

    [LoggerMessage(3202, LogLevel.Information, "layer2: this node no longer answers for {Ip}")]
    private partial void LogReleased(string ip);

    [LoggerMessage(3203, LogLevel.Information, "layer2: a speaker joined; announcing the {Count} IPs this node kept again, in case it claimed them while we were apart")]
    private partial void LogReannounce(int count);
}
