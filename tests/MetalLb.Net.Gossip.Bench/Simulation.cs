using System.Diagnostics;
using System.Net;
using MetalLb.Net.Gossip.Swim;
using MetalLb.Net.Gossip.Tests.Sim;

namespace MetalLb.Net.Gossip.Bench;

/// <summary>What one simulated run saw, all in simulated time except <see cref="WallSeconds"/>.</summary>
internal sealed record SimResult(int Members, double ConvergeMs, double P99Ms, double AllMs, int FalseDeaths, Counters Join, Counters Detect, double WallSeconds, double SteadyCores);

/// <summary>
/// The protocol alone: the same engine on the in-memory network with a manual clock (the Gossip
/// tests' simulator), so no member ever waits for a CPU. Kill one member, time until 99 % and
/// all of the others declared it dead; count live members ever declared dead.
/// </summary>
internal static class Simulation
{
    public static SimResult Run(int n, Func<string, IPEndPoint, MemberlistOptions> profile, int seed, double loss)
    {
        var wall = Stopwatch.StartNew();
        var cluster = new SimCluster(n, profile, seed, loss);
        var victim = n / 2;
        var detectedAt = new Dictionary<int, TimeSpan>();
        for (var i = 0; i < n; i++)
        {
            var observer = i;
            cluster.Members[i].MemberChanged += e =>
            {
                if (e.Kind == MemberEventKind.Fail && e.Member.Name == cluster.Members[victim].Name)
                    detectedAt.TryAdd(observer, cluster.Time.Elapsed);
            };
        }
        // Converged() compares every member's view with every other: check it every 100 ms only.
        if (!cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(100)))
            throw new TimeoutException($"simulated cluster of {n} did not converge in 120 simulated seconds");
        var convergeMs = cluster.Time.Elapsed.TotalMilliseconds;
        // Let the join's broadcasts drain, as a running cluster would have.
        cluster.Time.Advance(TimeSpan.FromSeconds(5));
        // Then the steady state: wall time per simulated second is the CPU the protocol needs
        // (one thread, every member, plus the simulator's own bookkeeping).
        var steady = Stopwatch.StartNew();
        cluster.Time.Advance(TimeSpan.FromSeconds(5));
        var steadyCpu = steady.Elapsed.TotalSeconds / 5;
        var join = Counters.Sum(cluster.Members.Select(m => m.Stats));
        var killedAt = cluster.Time.Elapsed;
        cluster.Kill(victim);
        var p99Count = (int)Math.Ceiling(0.99 * (n - 1));
        cluster.Time.AdvanceUntil(() => detectedAt.Count >= p99Count, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(1));
        var p99 = (cluster.Time.Elapsed - killedAt).TotalMilliseconds;
        cluster.Time.AdvanceUntil(() => detectedAt.Count >= n - 1, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(1));
        var all = (cluster.Time.Elapsed - killedAt).TotalMilliseconds;
        // Keep running a while: a false death may come after the verdict.
        cluster.Time.Advance(TimeSpan.FromSeconds(10));
        var detect = Counters.Sum(cluster.Live.Select(i => cluster.Members[i].Stats)) - join + Counters.Sum([cluster.Members[victim].Stats]);
        return new SimResult(n, convergeMs, p99, all, cluster.FalseFailures().Count, join, detect, wall.Elapsed.TotalSeconds, steadyCpu);
    }
}
