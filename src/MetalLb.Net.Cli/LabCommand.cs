using System.CommandLine;
using MetalLb.Net.Lab;

namespace MetalLb.Net.Cli;

/// <summary>
/// `metallb-net lab`: the whole system on one machine (docs/lab.md). Exit codes: 0 done,
/// 1 the lab failed or is not in the state asked for, 2 usage error, 3 a prerequisite is
/// missing (root, a tool, FRR, the built daemons).
/// </summary>
internal static class LabCommand
{
    public const int Done = 0, Failed = 1, Missing = 3;

    public static Command Create(CliIO io)
    {
        var command = new Command("lab",
            "A whole MetalLb.Net cluster on this machine, in network namespaces: an API server that kubectl talks to, " +
            "N nodes on one LAN, a client, an FRR router, and MetalLb.Net's controller and speakers as processes. " +
            "Create a LoadBalancer Service with kubectl, curl its IP from the client and see which node answers; " +
            "then take that node away and watch the IP move.\n\n" +
            "Quick start (root: the lab makes network namespaces):\n" +
            "  sudo metallb-net lab up --kubeconfig ./lab.kubeconfig\n" +
            "  kubectl --kubeconfig ./lab.kubeconfig create service loadbalancer web --tcp=80\n" +
            "  metallb-net lab status\n" +
            "  sudo ip netns exec mlb-lab-client curl -s http://192.0.2.200/\n" +
            "  sudo metallb-net lab failover --how cut\n" +
            "  sudo metallb-net lab down\n\n" +
            "Exit codes: 0 done, 1 failed (or no such lab), 2 usage error, 3 a prerequisite is missing.")
        {
            LabUpCommand.Create(io),
            LabStatusCommand.Create(io),
            LabDownCommand.Create(io),
            LabFailoverCommand.Create(io),
            LabSoakCommand.Create(io),
            LabPartitionCommand.Create(io),
        };
        return command;
    }

    internal static Option<string> NameOption() => new("--name")
    {
        Description = "The lab's name; labs with different names run side by side. Its namespaces are mlb-NAME-*, its files under /run/metallb-net-lab/NAME/.",
        DefaultValueFactory = _ => "lab",
        HelpName = "name",
        Validators =
        {
            r =>
            {
                if (r.GetValueOrDefault<string>() is { } n && !LabPaths.IsValidName(n))
                    r.AddError($"--name '{n}': use 1 to 16 lower-case letters, digits or '-', starting with a letter or digit");
            },
        },
    };

    /// <summary>Root, or a message saying why it is needed.</summary>
    internal static bool RequireRoot(CliIO io, string what)
    {
        if (Environment.IsPrivilegedProcess)
            return true;
        io.Stderr.WriteLine($"lab {what}: needs root (network namespaces, nftables). Run: sudo metallb-net lab {what} ...");
        return false;
    }

    /// <summary>The running lab's state, or a message that there is none.</summary>
    internal static LabState? RequireLab(CliIO io, string name)
    {
        var state = LabState.Read(name);
        if (state is null)
        {
            io.Stderr.WriteLine($"no lab named '{name}' is up. Start one: sudo metallb-net lab up{(name == "lab" ? "" : $" --name {name}")}");
            return null;
        }
        if (!ProcInfo.IsAlive(state.DaemonPid, state.DaemonStartTime))
        {
            io.Stderr.WriteLine($"lab '{name}' is not running (its process {state.DaemonPid} is gone: crashed or killed). Remove what it left: sudo metallb-net lab down{(name == "lab" ? "" : $" --name {name}")}");
            return null;
        }
        return state;
    }
}
