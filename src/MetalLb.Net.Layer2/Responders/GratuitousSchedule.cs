using System.Net;

namespace MetalLb.Net.Layer2.Responders;

/// <summary>
/// Pure: when to send takeover announcements. Upstream (docs/upstream-behaviour.md#gratuitous-announcements) sends an IP
/// at once when it is pushed and was not already being announced, then every 1.1 s until 5 s
/// after the latest push: 5 rounds for one takeover (t = 0, 1.1, 2.2, 3.3, 4.4 s). We count the
/// rounds rather than compare against a deadline, so a busy machine that runs a tick late still
/// sends all 5 instead of losing the last one. Not thread-safe: the announcer locks around it.
/// </summary>
public sealed class GratuitousSchedule
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(1100);
    public const int Rounds = 5;

    private readonly Dictionary<IPAddress, (int Remaining, TimeSpan Due)> _pending = [];

    public int PendingCount => _pending.Count;

    /// <summary>Starts (or extends) announcing <paramref name="ip"/>; true when a round must go out now.</summary>
    public bool Push(IPAddress ip, TimeSpan now)
    {
        if (_pending.TryGetValue(ip, out var entry))
        {
            _pending[ip] = (Rounds - 1, entry.Due); // keep the cadence; 5 s more from this push
            return false;
        }
        _pending[ip] = (Rounds - 1, now + Interval);
        return true;
    }

    public void Remove(IPAddress ip) => _pending.Remove(ip);

    /// <summary>The IPs whose next round is due at <paramref name="now"/>; each is rescheduled or finished.</summary>
    public List<IPAddress> TakeDue(TimeSpan now)
    {
        var due = new List<IPAddress>();
        foreach (var (ip, entry) in _pending.ToList())
        {
            if (entry.Due > now)
                continue;
            due.Add(ip);
            if (entry.Remaining <= 1)
                _pending.Remove(ip);
            else // after a late tick the remaining rounds keep at least half an interval apart
                _pending[ip] = (entry.Remaining - 1, Max(entry.Due + Interval, now + (Interval / 2)));
        }
        return due;
    }

    /// <summary>When the next round is due, or null when nothing is pending.</summary>
    public TimeSpan? NextDue => _pending.Count == 0 ? null : _pending.Values.Min(e => e.Due);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
