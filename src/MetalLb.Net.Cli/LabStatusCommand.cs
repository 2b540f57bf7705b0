using System.CommandLine;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Lab;

namespace MetalLb.Net.Cli;

/// <summary>`metallb-net lab status [--watch]`: the live view.</summary>
internal static class LabStatusCommand
{
    public static Command Create(CliIO io)
    {
        var name = LabCommand.NameOption();
        var watch = new Option<bool>("--watch", "-w") { Description = "Redraw every second until Ctrl-C." };
        var command = new Command("status",
            "Show the lab: its nodes and speakers, and every LoadBalancer Service with its IPs, its pool, and who answers for " +
            "it: the node answering ARP/NDP (L2), the next hops the router installed (BGP), or why it is still pending.\n" +
            "Root is needed only for the BGP next hops (they are read in the router's namespace).\n\n" +
            "Examples:\n  metallb-net lab status\n  metallb-net lab status --watch\n\n" +
            "Exit code: 0 shown, 1 no such lab.")
        {
            name, watch,
        };
        command.SetAction(async (parse, ct) =>
        {
            var state = LabCommand.RequireLab(io, parse.GetValue(name)!);
            if (state is null) return LabCommand.Failed;
            using var api = new KubeClient(KubeConfigLoader.FromYaml(await File.ReadAllTextAsync(state.Kubeconfigs[0], ct)));
            do
            {
                string view;
                try
                {
                    view = await LabView.RenderAsync(LabState.Read(state.Name) ?? state, api, ct);
                }
                catch (Exception e) when (e is HttpRequestException or KubeApiException)
                {
                    view = $"the lab's API server does not answer: {e.Message}";
                }
                if (parse.GetValue(watch)) io.Stdout.Write("\u001b[H\u001b[2J");
                io.Stdout.WriteLine(view);
                if (!parse.GetValue(watch)) break;
                try
                {
                    await Task.Delay(1000, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            while (true);
            return LabCommand.Done;
        });
        return command;
    }
}
