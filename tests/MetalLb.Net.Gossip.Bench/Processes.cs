using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using MetalLb.Net.Gossip.Swim;
using MetalLb.Net.Gossip.Transport;

namespace MetalLb.Net.Gossip.Bench;

/// <summary>What a multi-process run saw.</summary>
internal sealed record ProcessResult(int Members, int Processes, double ConvergeMs, bool Converged, double? P99Ms, double? AllMs,
    int Detected, int FalseDeaths, Counters Join, Counters Detect);

/// <summary>
/// One cluster spread over several processes of this program (each a "child" holding some
/// members), closer to a real deployment than one process with every member. The children
/// print events with Stopwatch timestamps (CLOCK_MONOTONIC on Linux, the same in every process).
/// </summary>
internal static class Processes
{
    public static async Task<ProcessResult> RunAsync(int processes, int perProcess, string profile)
    {
        var total = processes * perProcess;
        var victim = $"m-{total - 1}";
        var children = new List<Child>();
        var fails = new ConcurrentQueue<(string Observer, string Member, long At)>();
        var started = Stopwatch.GetTimestamp();
        try
        {
            string? seed = null;
            for (var p = 0; p < processes; p++)
            {
                var child = Child.Start(p, perProcess, total, profile, seed, fails);
                children.Add(child);
                seed ??= $"127.0.0.1:{await child.Port.Task.WaitAsync(TimeSpan.FromSeconds(60))}";
            }
            var converged = await Task.WhenAll(children.Select(c => c.Converged.Task))
                .WaitAsync(TimeSpan.FromSeconds(120)).ContinueWith(t => t.IsCompletedSuccessfully);
            var convergeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var join = await StatsAsync(children);
            if (!converged)
                return new ProcessResult(total, processes, convergeMs, false, null, null, 0, fails.Count, join, join);
            var killedAt = Stopwatch.GetTimestamp();
            await children[^1].SendAsync($"kill {victim}");
            var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
            while (fails.Count(f => f.Member == victim) < total - 1 && Stopwatch.GetTimestamp() < deadline)
                await Task.Delay(20);
            // Keep watching a while: a false death may come after the verdict.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var times = fails.Where(f => f.Member == victim && f.At >= killedAt)
                .Select(f => Stopwatch.GetElapsedTime(killedAt, f.At).TotalMilliseconds).Order().ToList();
            var falseDeaths = fails.Count(f => f.Member != victim || f.At < killedAt);
            var after = await StatsAsync(children);
            var complete = times.Count >= total - 1;
            var p99Count = (int)Math.Ceiling(0.99 * (total - 1));
            return new ProcessResult(total, processes, convergeMs, true,
                times.Count >= p99Count ? times[p99Count - 1] : null, complete ? times[^1] : null, times.Count, falseDeaths, join, after - join);
        }
        finally
        {
            foreach (var child in children)
                await child.StopAsync();
        }
    }

    private static async Task<Counters> StatsAsync(List<Child> children)
    {
        var sum = Counters.Sum([]);
        foreach (var child in children)
        {
            child.Stats = new TaskCompletionSource<Counters>(TaskCreationOptions.RunContinuationsAsynchronously);
            await child.SendAsync("stats");
            sum += await child.Stats.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        return sum;
    }

    private sealed class Child
    {
        private readonly Process _process;

        private Child(Process process) => _process = process;

        public TaskCompletionSource<int> Port { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Converged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<Counters> Stats { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static Child Start(int index, int members, int total, string profile, string? seed,
            ConcurrentQueue<(string, string, long)> fails)
        {
            var info = new ProcessStartInfo(Environment.ProcessPath!)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
            };
            // Run as `dotnet <dll>` or as the apphost, whichever started us.
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
                info.ArgumentList.Add(typeof(Processes).Assembly.Location);
            foreach (var a in new[] { "--child", index.ToString(CultureInfo.InvariantCulture), "--per", members.ToString(CultureInfo.InvariantCulture),
                "--total", total.ToString(CultureInfo.InvariantCulture), "--profile", profile, "--seed", seed ?? "-" })
                info.ArgumentList.Add(a);
            var child = new Child(Process.Start(info)!);
            child._process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not { } line)
                    return;
                var f = line.Split(' ');
                switch (f[0])
                {
                    case "PORT": child.Port.TrySetResult(int.Parse(f[1], CultureInfo.InvariantCulture)); break;
                    case "CONVERGED": child.Converged.TrySetResult(); break;
                    case "FAIL": fails.Enqueue((f[1], f[2], long.Parse(f[3], CultureInfo.InvariantCulture))); break;
                    case "STATS": child.Stats.TrySetResult(Counters.Parse(f.Skip(1))); break;
                }
            };
            child._process.BeginOutputReadLine();
            return child;
        }

        public async Task SendAsync(string line)
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }

        public async Task StopAsync()
        {
            try
            {
                await SendAsync("quit");
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
            {
                // Stop this child (our own, by its handle), whatever it was doing.
                _process.Kill();
            }
            _process.Dispose();
        }
    }

    /// <summary>The child side: hold members, report events, obey kill/stats/quit on stdin.</summary>
    public static async Task<int> ChildAsync(int index, int perProcess, int total, string profile, string seed)
    {
        var output = TextWriter.Synchronized(Console.Out);
        var members = new List<GossipMember>();
        for (var j = 0; j < perProcess; j++)
        {
            var name = $"m-{index * perProcess + j}";
            var options = Profiles.For(profile, total)(name, new IPEndPoint(IPAddress.Loopback, 0));
            members.Add(GossipMember.Start(options, onEvent: e =>
            {
                if (e.Kind == MemberEventKind.Fail)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FAIL {name} {e.Member.Name} {Stopwatch.GetTimestamp()}"));
            }));
        }
        var seedEndPoint = seed == "-" ? members[0].LocalEndPoint : IPEndPoint.Parse(seed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PORT {members[0].LocalEndPoint.Port}"));
        foreach (var member in members)
            await member.JoinAsync([seedEndPoint]);
        _ = Task.Run(async () =>
        {
            while (!members.All(m => m.Memberlist.MemberCount == total))
                await Task.Delay(100);
            output.WriteLine("CONVERGED");
        });
        var killed = new HashSet<string>();
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command.StartsWith("kill ", StringComparison.Ordinal))
            {
                var member = members.First(m => m.Memberlist.Name == command[5..]);
                killed.Add(member.Memberlist.Name);
                await member.DisposeAsync();
            }
            else if (command == "stats")
            {
                output.WriteLine("STATS " + Counters.Sum(members.Where(m => !killed.Contains(m.Memberlist.Name)).Select(m => m.Memberlist.Stats)).Serialize());
            }
            else if (command == "quit")
            {
                break;
            }
        }
        foreach (var member in members)
            await member.DisposeAsync();
        return 0;
    }
}
