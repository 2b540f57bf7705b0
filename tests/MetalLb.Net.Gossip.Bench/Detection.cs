using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MetalLb.Net.Gossip.Swim;
using MetalLb.Net.Gossip.Transport;

namespace MetalLb.Net.Gossip.Bench;

/// <summary>Our members on loopback: converge, kill the last one (no leave), time until all others say Fail.</summary>
internal static class Detection
{
    public static async Task<double> MeasureAsync(int n, bool fast)
    {
        var members = new List<GossipMember>();
        var victim = $"m-{n - 1}";
        var pending = new ConcurrentDictionary<string, bool>();
        var killedAt = 0L;
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            for (var i = 0; i < n; i++)
            {
                var name = $"m-{i}";
                var address = new IPEndPoint(IPAddress.Loopback, 0);
                var options = fast ? MemberlistOptions.Fast(name, address) : MemberlistOptions.Lan(name, address);
                members.Add(GossipMember.Start(options, onEvent: e =>
                {
                    if (e.Kind == MemberEventKind.Fail && e.Member.Name == victim && pending.TryRemove(name, out _) && pending.IsEmpty)
                        done.TrySetResult(Stopwatch.GetTimestamp());
                }));
            }
            for (var i = 1; i < n; i++)
                await members[i].JoinAsync([members[0].LocalEndPoint]);
            var until = DateTime.UtcNow.AddSeconds(60);
            while (!members.All(m => m.Members.Count == n))
            {
                if (DateTime.UtcNow > until)
                    throw new TimeoutException("cluster did not converge");
                await Task.Delay(10);
            }
            for (var i = 0; i < n - 1; i++)
                pending[$"m-{i}"] = true;
            killedAt = Stopwatch.GetTimestamp();
            await members[^1].DisposeAsync();
            var finished = await done.Task.WaitAsync(TimeSpan.FromSeconds(120));
            return Stopwatch.GetElapsedTime(killedAt, finished).TotalMilliseconds;
        }
        finally
        {
            foreach (var member in members)
                await member.DisposeAsync();
        }
    }
}
