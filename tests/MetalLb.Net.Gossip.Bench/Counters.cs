using System.Globalization;
using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Bench;

/// <summary>The failure detector's counters summed over many members, to tell CPU starvation from protocol trouble.</summary>
internal sealed record Counters(long Probes, long Timeouts, long Recovered, long Failed, long Suspicions, long Refutations, long Deaths, long Sent, long Received, long Inconclusive)
{
    public static Counters Sum(IEnumerable<GossipStats> stats)
    {
        long probes = 0, timeouts = 0, recovered = 0, failed = 0, suspicions = 0, refutations = 0, deaths = 0, sent = 0, received = 0, inconclusive = 0;
        foreach (var s in stats)
        {
            probes += s.Probes;
            timeouts += s.ProbeTimeouts;
            recovered += s.ProbesRecovered;
            failed += s.ProbesFailed;
            suspicions += s.Suspicions;
            refutations += s.Refutations;
            deaths += s.DeathsDeclared;
            sent += s.PacketsSent;
            received += s.PacketsReceived;
            inconclusive += s.ProbesInconclusive;
        }
        return new Counters(probes, timeouts, recovered, failed, suspicions, refutations, deaths, sent, received, inconclusive);
    }

    public static Counters operator -(Counters a, Counters b) => new(a.Probes - b.Probes, a.Timeouts - b.Timeouts,
        a.Recovered - b.Recovered, a.Failed - b.Failed, a.Suspicions - b.Suspicions, a.Refutations - b.Refutations,
        a.Deaths - b.Deaths, a.Sent - b.Sent, a.Received - b.Received, a.Inconclusive - b.Inconclusive);

    public static Counters operator +(Counters a, Counters b) => new(a.Probes + b.Probes, a.Timeouts + b.Timeouts,
        a.Recovered + b.Recovered, a.Failed + b.Failed, a.Suspicions + b.Suspicions, a.Refutations + b.Refutations,
        a.Deaths + b.Deaths, a.Sent + b.Sent, a.Received + b.Received, a.Inconclusive + b.Inconclusive);

    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"probes={Probes} timeouts={Timeouts} ({Percent(Timeouts)}) recovered={Recovered} failed={Failed} inconclusive={Inconclusive} suspicions={Suspicions} refutations={Refutations} deaths-declared={Deaths} sent={Sent} received={Received}");

    public string Serialize() => string.Join(' ', new[] { Probes, Timeouts, Recovered, Failed, Suspicions, Refutations, Deaths, Sent, Received, Inconclusive }
        .Select(v => v.ToString(CultureInfo.InvariantCulture)));

    public static Counters Parse(IEnumerable<string> fields)
    {
        var v = fields.Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return new Counters(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    private string Percent(long part) => Probes == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / Probes:F2}% of probes");
}
