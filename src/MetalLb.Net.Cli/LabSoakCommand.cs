using System.CommandLine;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Lab;

namespace MetalLb.Net.Cli;

/// <summary>`metallb-net lab soak`: loss and CPU stress on a running lab, counting the failovers nothing caused.</summary>
internal static class LabSoakCommand
{
    /// <summary>The soak ran and something failed over, died or reset with no failure injected.</summary>
    public const int TargetMissed = 4;

    public static Command Create(CliIO io)
    {
        var name = LabCommand.NameOption();
        var minutes = new Option<double?>("--minutes") { Description = "How long to soak (default 30).", HelpName = "minutes" };
        var seconds = new Option<double?>("--seconds") { Description = "How long to soak, in seconds (instead of --minutes; for a quick look or a test).", HelpName = "seconds" };
        var loss = new Option<int>("--loss")
        {
            Description = "Percent of frames dropped on each node's link, in each direction (nftables on the LAN bridge; 0 for none).",
            DefaultValueFactory = _ => 5, HelpName = "percent",
        };
        var stress = new Option<string>("--stress")
        {
            Description = "Nodes whose speaker is CPU-starved: each gets a cgroup with --stress-cpu percent of one CPU, shared with a stress-ng worker ('' for none).",
            DefaultValueFactory = _ => "node2,node3", HelpName = "nodes",
        };
        var stressCpu = new Option<int>("--stress-cpu")
        {
            Description = "The CPU quota of each stressed node's group, in percent of one CPU.", DefaultValueFactory = _ => 25, HelpName = "percent",
        };
        var command = new Command("soak",
            "Soak a running lab: drop a share of the frames on every node's link and starve some nodes' speakers of CPU, while " +
            "the client sends an HTTP request every 10 ms to an L2 and a BGP Service (created as default/soak-l2 and soak-bgp " +
            "if the lab has none). Nothing fails on purpose, so every L2 owner change, gossip member declared dead and BGP " +
            "session drop is a spurious failover. Prints a line every 10 s and a summary; removes its rules and cgroups at the " +
            "end and on Ctrl-C (and `lab down` removes what a crash left).\n\n" +
            "Examples:\n  sudo metallb-net lab soak --minutes 30\n  sudo metallb-net lab soak --seconds 60 --loss 10 --stress node1\n\n" +
            "Exit code: 0 soaked with no spurious failover, 4 soaked and something failed over, 1 could not soak, 3 not root.")
        {
            name, minutes, seconds, loss, stress, stressCpu,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!LabCommand.RequireRoot(io, "soak")) return LabCommand.Missing;
            var state = LabCommand.RequireLab(io, parse.GetValue(name)!);
            if (state is null) return LabCommand.Failed;
            var duration = parse.GetValue(seconds) is { } s ? TimeSpan.FromSeconds(s) : TimeSpan.FromMinutes(parse.GetValue(minutes) ?? 30);
            var options = new LabSoakOptions(duration, parse.GetValue(loss),
                [.. parse.GetValue(stress)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], parse.GetValue(stressCpu));
            using var api = new KubeClient(KubeConfigLoader.FromYaml(await File.ReadAllTextAsync(state.Kubeconfigs[0], ct)));
            try
            {
                var result = await new LabSoak(state, api, options, line =>
                {
                    io.Stdout.WriteLine(line);
                    io.Stdout.Flush();
                }).RunAsync(ct);
                io.Stdout.Write(result.Describe());
                return result.TargetMet ? LabCommand.Done : TargetMissed;
            }
            catch (InvalidOperationException e)
            {
                io.Stderr.WriteLine($"lab soak: {e.Message}");
                return LabCommand.Failed;
            }
        });
        return command;
    }
}
