using MetalLb.Net.Core.Planning;

namespace MetalLb.Net.Cli;

/// <summary>
/// The plan for people: configuration errors first, then one row per service (like
/// `kubectl get svc`), then one line per pending or unannounced service saying why.
/// </summary>
internal static class PlanText
{
    private static readonly string[] Header = ["NAMESPACE", "NAME", "EXTERNAL-IP", "POOL", "L2", "BGP"];

    public static void Write(PlanResult plan, TextWriter o)
    {
        if (!plan.Valid)
        {
            o.WriteLine($"Configuration is INVALID ({plan.Errors.Count} error(s)); the controller keeps allocating from valid pools, speakers keep their last valid configuration:");
            foreach (var e in plan.Errors) o.WriteLine($"  {e.Kind} \"{e.Name}\": {e.Message}");
            o.WriteLine();
        }
        if (plan.Services.Count == 0)
        {
            o.WriteLine("No Services of type LoadBalancer in the input.");
            return;
        }
        var rows = new List<string[]> { Header };
        foreach (var s in plan.Services)
            rows.Add([s.Namespace, s.Name, s.IPs.Count > 0 ? string.Join(",", s.IPs) : "<pending>", s.Pool ?? "-", L2(s), Bgp(s)]);
        WriteTable(rows, o);

        var notes = plan.Services
            .Select(s => (s, why: s.Error is { } e ? new[] { $"pending: {e}" } : s.NotAnnounced.ToArray()))
            .Where(x => x.why.Length > 0).ToList();
        if (notes.Count == 0) return;
        o.WriteLine();
        foreach (var (s, why) in notes)
            foreach (var line in why)
                o.WriteLine($"{s.Namespace}/{s.Name}: {line}");
    }

    private static string L2(ServicePlan s) =>
        s.L2.Count == 0 ? "-" : string.Join(",", s.L2.Select(l => l.Node).Distinct());

    /// <summary>"node-a,node-b → peer-1 (198.51.100.0/24)": announcing nodes per peer.</summary>
    private static string Bgp(ServicePlan s) =>
        s.Bgp.Count == 0 ? "-" : string.Join("; ", s.Bgp
            .GroupBy(b => (b.Peer, b.Prefix))
            .Select(g => $"{string.Join(",", g.Select(b => b.Node).Distinct())} -> {g.Key.Peer} {g.Key.Prefix}"));

    private static void WriteTable(List<string[]> rows, TextWriter o)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var r in rows)
            o.WriteLine(string.Join("   ", r.Select((cell, i) => i == r.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
    }
}
