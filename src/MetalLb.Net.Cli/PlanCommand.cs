using System.CommandLine;
using MetalLb.Net.Core.Planning;

namespace MetalLb.Net.Cli;

/// <summary>`metallb-net plan`: what the controller and speakers would do, offline.</summary>
internal static class PlanCommand
{
    public static Command Create(CliIO io)
    {
        var output = new Option<string>("--output", "-o")
        {
            Description = "text (a table for people, the default) or json (docs/plan.md).",
            DefaultValueFactory = _ => "text",
            HelpName = "format",
        };
        output.AcceptOnlyFromAmong("text", "json");
        var lbClass = new Option<string?>("--lb-class")
        {
            Description = "Act as a controller started with --lb-class: only services with this spec.loadBalancerClass get IPs. By default services that set any class are left alone.",
            HelpName = "class",
        };
        var ns = CliApp.NamespaceOption();
        var mode = CliApp.ModeOption();
        mode.AcceptOnlyFromAmong("frr-k8s", "frr", "native");
        var paths = CliApp.PathsArgument();
        var command = new Command("plan",
            "Show, without a cluster, which IP every LoadBalancer Service would get and from which pool, which node " +
            "answers ARP/NDP for it, and which nodes announce which prefix to which BGP peer; and, for every service " +
            "left pending or unannounced, why.\n\n" +
            "Give it your MetalLB objects (IPAddressPool, L2Advertisement, BGPAdvertisement, BGPPeer, Community, " +
            "BFDProfile, Secret) together with the Services, Nodes, Namespaces and EndpointSlices to plan for. Every " +
            "Node is assumed to run a healthy speaker.\n\n" +
            "Examples:\n" +
            "  metallb-net plan deploy/samples/\n" +
            "  metallb-net plan pools.yaml services.yaml --output json\n" +
            "  kubectl get svc,nodes -A -o yaml | metallb-net plan pools.yaml -\n\n" +
            "Exit code: 0 the configuration is valid (even with services pending), 1 it is invalid, 2 usage error or unreadable input.")
        {
            output, lbClass, ns, mode, paths,
        };
        command.SetAction(parse =>
        {
            var loaded = ManifestLoader.Load(parse.GetValue(paths)!, parse.GetValue(ns)!, io);
            if (loaded is null) return CliApp.UsageError;
            var plan = Planner.Plan(new PlanInput(loaded) with
            {
                Namespace = parse.GetValue(ns)!,
                LoadBalancerClass = parse.GetValue(lbClass),
                Mode = CliApp.ParseMode(parse.GetValue(mode)),
            });
            if (parse.GetValue(output) == "json") PlanJson.Write(plan, io.Stdout);
            else PlanText.Write(plan, io.Stdout);
            return plan.Valid ? CliApp.Valid : CliApp.Invalid;
        });
        return command;
    }
}
