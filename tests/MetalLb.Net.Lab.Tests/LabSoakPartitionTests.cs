using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MetalLb.Net.Lab;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Lab.Tests;

/// <summary>
/// `lab soak` and `lab partition` on a real lab, at a small size: the numbers in their summaries
/// must come from the network (nft's counters, cgroup throttling, ARP replies from two MACs), and
/// what they add to the lab (nftables tables, cgroups, stress-ng) must be gone afterwards, also
/// when the verb is killed and only `lab down` is left to clean up.
/// </summary>
[Trait("Category", "Cluster")]
public sealed partial class LabSoakPartitionTests(ITestOutputHelper output) : IDisposable
{
    private readonly LabCli _cli = new(output.WriteLine);
    private readonly string _name = LabCli.NewName();

    [SkippableFact]
    public async Task Soak_and_partition_report_what_the_network_did_and_leave_nothing()
    {
        LabCli.RequirePrerequisites();
        Prerequisite.Tool("stress-ng", "apt-get install stress-ng");
        var up = _cli.Lab("lab", "up", "--name", _name, "--nodes", "3", "--mode", "both");
        Assert.True(up.ExitCode == 0, up.All);
        string lan = $"mlb-{_name}-lan";

        // 20 % loss so that even a short soak drops a measurable share; CPU stress on node2 only.
        var soak = _cli.Lab("lab", "soak", "--name", _name, "--seconds", "15", "--loss", "20", "--stress", "node2");
        Assert.True(soak.ExitCode is 0 or LabSoakExitTargetMissed, soak.All);
        var loss = LossLine().Match(soak.Stdout);
        Assert.True(loss.Success, soak.Stdout);
        long dropped = long.Parse(loss.Groups[1].Value, CultureInfo.InvariantCulture), seen = long.Parse(loss.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(seen > 1000 && dropped > 0, $"the loss rule saw {seen} frames and dropped {dropped}");
        double share = (double)dropped / seen;
        Assert.True(share is > 0.10 and < 0.30, $"20 % asked, {share:P1} dropped");
        var throttled = ThrottleLine().Match(soak.Stdout);
        Assert.True(throttled.Success && long.Parse(throttled.Groups[2].Value, CultureInfo.InvariantCulture) > 0, soak.Stdout);
        foreach (string kind in (string[])["L2", "BGP"])
        {
            var req = Regex.Match(soak.Stdout, kind + @" default/soak-\w+ [\d.]+: (\d+) requests, (\d+) answered");
            Assert.True(req.Success, soak.Stdout);
            Assert.True(long.Parse(req.Groups[2].Value, CultureInfo.InvariantCulture) > 100, $"{kind}: {req.Value}");
        }
        Assert.Matches(@"client ARP every 100 ms: \d+ asked, [1-9]\d* answered", soak.Stdout);
        // The speakers' own gossip counters, read from every speaker's /metrics, at the end too.
        Assert.Matches(@"speakers' /metrics: \d+ gossip members declared dead, \d+ suspicions, \d+ verdicts that waited for unread packets", soak.Stdout);
        Assert.DoesNotContain("unread at the end", soak.Stdout, StringComparison.Ordinal);
        AssertNoChaosLeft(lan);

        // Partition: node1 cut off from node2 and node3 for a few seconds. Whoever owned the IP,
        // one side of the cut believes itself alone, so two MACs answer the client's ARP.
        var partition = _cli.Lab("lab", "partition", "--name", _name, "--node", "node1", "--seconds", "8");
        Assert.True(partition.ExitCode == 0, partition.All);
        var run = RunLine().Match(partition.Stdout);
        Assert.True(run.Success, partition.Stdout);
        Assert.True(long.Parse(run.Groups[1].Value, CultureInfo.InvariantCulture) > 0, "the cut dropped packets between node1 and the others");
        Assert.True(int.Parse(run.Groups[2].Value, CultureInfo.InvariantCulture) > 0, $"two nodes answered during the cut: {run.Value}");
        Assert.Matches(@"one owner \(node\d\) \d+ ms after the heal", partition.Stdout);
        Assert.Contains("partition summary: 1 runs", partition.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(LabPartition.Table, Nftables.List($"mlb-{_name}-node1"), StringComparison.Ordinal);
        AssertNoChaosLeft(lan);

        // A soak killed (kill -9) in the middle leaves its rules, cgroup and stress-ng; `lab down` removes them.
        using var killed = Process.Start(new ProcessStartInfo(LabCli.Executable, ["lab", "soak", "--name", _name, "--seconds", "600", "--stress", "node3"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var record = await Eventually.Value(() => Task.FromResult(LabSoakRecord.Read(_name)), r => r.Processes.Count == 1 && r.Tables.Count == 1,
            "the soak recorded its stress-ng and its table", () => File.Exists(LabSoakRecord.PathOf(_name)) ? File.ReadAllText(LabSoakRecord.PathOf(_name)) : "(no chaos.json)",
            TimeSpan.FromSeconds(120));
        await Eventually.True(() => Nftables.List(lan).Contains(LabSoak.Table, StringComparison.Ordinal), "the loss table is in place");
        killed.Kill();   // SIGKILL, this test's own child
        await killed.WaitForExitAsync();
        var stress = record.Processes[0];
        Assert.True(ProcInfo.IsAlive(stress.Pid, stress.StartTime), "stress-ng outlives the killed soak");
        Assert.True(Directory.Exists(record.Cgroups[0]));

        var down = _cli.Lab("lab", "down", "--name", _name);
        Assert.True(down.ExitCode == 0, down.All);
        Assert.Contains("stress-ng-node3", down.Stdout, StringComparison.Ordinal);
        Assert.True(ProcInfo.WaitGone(stress.Pid, stress.StartTime, TimeSpan.FromSeconds(10)), "lab down stopped stress-ng");
        Assert.False(Directory.Exists(record.Cgroups[0]), $"lab down removed {record.Cgroups[0]}");
        Assert.Empty(LabTeardown.LabNamespaces($"mlb-{_name}-"));
    }

    private const int LabSoakExitTargetMissed = 4;

    private void AssertNoChaosLeft(string lan)
    {
        Assert.DoesNotContain(LabSoak.Table, Nftables.List(lan), StringComparison.Ordinal);
        var root = CpuStressGroup.Hierarchy()!.Value.Root;
        Assert.Empty(Directory.GetDirectories(root, $"metallb-net-lab-{_name}-*"));
        var record = LabSoakRecord.Read(_name);
        Assert.Empty(record.Tables);
        Assert.Empty(record.Cgroups);
        Assert.Empty(record.Processes);
    }

    [GeneratedRegex(@"loss rule: dropped (\d+) of (\d+) frames")]
    private static partial Regex LossLine();

    [GeneratedRegex(@"cpu stress node2: throttled in (\d+) of (\d+) 100 ms periods")]
    private static partial Regex ThrottleLine();

    [GeneratedRegex(@"run 1: cut node1 for [\d.]+ s \((\d+) packets dropped\).*during the cut two nodes answered (\d+) of \d+ probes")]
    private static partial Regex RunLine();

    public void Dispose()
    {
        _cli.DownIfLeft(_name);
    }
}
