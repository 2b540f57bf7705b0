using System.CommandLine;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Lab;

namespace MetalLb.Net.Cli;

/// <summary>`metallb-net lab failover`: takes the owner away under traffic and reports the outage.</summary>
internal static class LabFailoverCommand
{
    public static Command Create(CliIO io)
    {
        var name = LabCommand.NameOption();
        var how = new Option<string>("--how")
        {
            Description = "kill: SIGKILL the owner's speaker (no goodbye; the node itself still forwards, so clients notice only when " +
                "the IP moves). stop: SIGTERM it, as the kubelet stops a pod (it leaves gossip, closes BGP). cut: take the owner's " +
                "link to the LAN down (speaker and node unreachable, as a pulled cable), and back up afterwards.",
            DefaultValueFactory = _ => "kill", HelpName = "how",
        };
        how.AcceptOnlyFromAmong("kill", "stop", "cut");
        var service = new Option<string?>("--service")
        {
            Description = "The Service (NAMESPACE/NAME or NAME); by default the first LoadBalancer Service with an IPv4 address.", HelpName = "service",
        };
        var command = new Command("failover",
            "Fail the node that answers a Service's IP over, under traffic: the client sends an HTTP request to the IP every " +
            "10 ms; after one second the owner (the node that answers) is killed, stopped or cut; requests go on until another " +
            "node has answered 50 in a row (at most 60 s). Reports the requests that failed, the client's outage (the longest " +
            "run of failures) and when the new node took over. A killed or stopped speaker is restarted by the lab after the kubelet's " +
            "back-off, as the kubelet would: 10 s the first time, doubling (up to 5 min) while it keeps exiting.\n\n" +
            "Examples:\n  sudo metallb-net lab failover\n  sudo metallb-net lab failover --how cut --service default/web\n\n" +
            "Exit code: 0 the IP failed over, 1 it did not (or no lab, no Service with an IP), 3 not root.")
        {
            name, how, service,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!LabCommand.RequireRoot(io, "failover")) return LabCommand.Missing;
            var state = LabCommand.RequireLab(io, parse.GetValue(name)!);
            if (state is null) return LabCommand.Failed;
            using var api = new KubeClient(KubeConfigLoader.FromYaml(await File.ReadAllTextAsync(state.Kubeconfigs[0], ct)));
            var picked = await LabFailover.PickServiceAsync(api, parse.GetValue(service), ct);
            if (picked is not { } svc)
            {
                io.Stderr.WriteLine(parse.GetValue(service) is { } wanted
                    ? $"lab failover: Service {wanted} has no IPv4 address (yet); `metallb-net lab status` says why"
                    : "lab failover: no LoadBalancer Service with an IPv4 address; create one: kubectl create service loadbalancer web --tcp=80");
                return LabCommand.Failed;
            }
            try
            {
                var result = await LabFailover.RunAsync(state, svc.Name, svc.Ip, svc.Port,
                    Enum.Parse<FailoverHow>(parse.GetValue(how)!, ignoreCase: true), io.Stdout.WriteLine, ct);
                io.Stdout.Write(LabFailover.Describe(result));
                return result.NewOwner is null ? LabCommand.Failed : LabCommand.Done;
            }
            catch (InvalidOperationException e)
            {
                io.Stderr.WriteLine($"lab failover: {e.Message}");
                return LabCommand.Failed;
            }
        });
        return command;
    }
}
