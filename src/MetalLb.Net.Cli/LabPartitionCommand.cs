using System.CommandLine;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Lab;

namespace MetalLb.Net.Cli;

/// <summary>`metallb-net lab partition`: one node cut off from the others (not from the client); the split brain and its healing, measured.</summary>
internal static class LabPartitionCommand
{
    public static Command Create(CliIO io)
    {
        var name = LabCommand.NameOption();
        var node = new Option<string>("--node") { Description = "The node cut off from the other nodes.", DefaultValueFactory = _ => "node1", HelpName = "node" };
        var seconds = new Option<double>("--seconds") { Description = "How long the cut lasts.", DefaultValueFactory = _ => 20, HelpName = "seconds" };
        var runs = new Option<int>("--runs") { Description = "How many cuts, one after the other (each waits for one owner first).", DefaultValueFactory = _ => 1, HelpName = "n" };
        var command = new Command("partition",
            "Cut one node off from the other nodes, but not from the client or the router (nftables in its namespace drop " +
            "everything to and from the other nodes' addresses), then heal the cut. Each side believes the other dead, so " +
            "two nodes may answer ARP for the L2 Service's IP (default/soak-l2 is created if the lab has no L2 Service). The " +
            "client asks ARP every 20 ms; reports when two MACs answered during the cut, and how long after the heal until " +
            "one owner answers again (target: 2 s).\n\n" +
            "Examples:\n  sudo metallb-net lab partition\n  sudo metallb-net lab partition --node node2 --seconds 10 --runs 10\n\n" +
            "Exit code: 0 one owner again after every heal (within 60 s), 1 not (or no lab), 3 not root.")
        {
            name, node, seconds, runs,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!LabCommand.RequireRoot(io, "partition")) return LabCommand.Missing;
            var state = LabCommand.RequireLab(io, parse.GetValue(name)!);
            if (state is null) return LabCommand.Failed;
            using var api = new KubeClient(KubeConfigLoader.FromYaml(await File.ReadAllTextAsync(state.Kubeconfigs[0], ct)));
            try
            {
                var results = await new LabPartition(state, api, new LabPartitionOptions(parse.GetValue(node)!,
                    TimeSpan.FromSeconds(parse.GetValue(seconds)), Math.Max(1, parse.GetValue(runs))), line =>
                {
                    io.Stdout.WriteLine(line);
                    io.Stdout.Flush();
                }).RunAsync(ct);
                io.Stdout.Write(LabPartitionRun.Summary(results));
                return results.All(r => r.OwnerAfter is not null) ? LabCommand.Done : LabCommand.Failed;
            }
            catch (InvalidOperationException e)
            {
                io.Stderr.WriteLine($"lab partition: {e.Message}");
                return LabCommand.Failed;
            }
        });
        return command;
    }
}
