using System.CommandLine;
using System.Runtime.InteropServices;
using MetalLb.Net.Lab;

namespace MetalLb.Net.Cli;

/// <summary>`metallb-net lab up`: checks, then starts the lab detached (or in the foreground) with progress.</summary>
internal static class LabUpCommand
{
    public static Command Create(CliIO io)
    {
        var name = LabCommand.NameOption();
        var nodes = new Option<int>("--nodes")
        {
            Description = "How many node namespaces (node1..nodeN, 192.0.2.11 up).", DefaultValueFactory = _ => 3, HelpName = "n",
            Validators = { r => { if (r.GetValueOrDefault<int>() is < 1 or > 20) r.AddError("--nodes: 1 to 20"); } },
        };
        var mode = new Option<string>("--mode")
        {
            Description = "l2 (an L2 pool: one node answers ARP/NDP per IP), bgp (a BGP pool announced to the FRR router, ECMP over the nodes), or both (the default; Services get the L2 pool unless annotated metallb.io/address-pool: lab-bgp).",
            DefaultValueFactory = _ => "both", HelpName = "mode",
        };
        mode.AcceptOnlyFromAmong("l2", "bgp", "both");
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "Also write the lab's kubeconfig here (it is always at /run/metallb-net-lab/NAME/kubeconfig); `lab down` deletes it.",
            HelpName = "path",
        };
        var foreground = new Option<bool>("--foreground")
        {
            Description = "Stay in the foreground, printing what happens, until Ctrl-C (which removes the lab). Without it the lab runs in the background until `lab down`.",
        };
        var logLevel = new Option<string>("--log-level")
        {
            Description = "The controller's and speakers' --log-level (their logs are in the lab's folder).", DefaultValueFactory = _ => "info", HelpName = "level",
        };
        logLevel.AcceptOnlyFromAmong("debug", "info", "warn", "error");
        var install = new Option<string>("--install")
        {
            Description = "helm (the default: `helm install` of charts/metallb-net against the lab's API server; a node agent runs the chart's controller and speaker pods as processes) or direct (the controller and speakers started directly with the admin kubeconfig).",
            DefaultValueFactory = _ => "helm", HelpName = "how",
        };
        install.AcceptOnlyFromAmong("helm", "direct");
        var mlProfile = new Option<string>("--ml-profile")
        {
            Description = "The speakers' gossip timers: fast (sub-second failover, the default) or lan (memberlist's own, as upstream's speakers; failover in seconds).",
            DefaultValueFactory = _ => "fast", HelpName = "profile",
        };
        mlProfile.AcceptOnlyFromAmong("fast", "lan");
        var command = new Command("up",
            "Start a lab: the API server (https, on 127.0.0.1) with a kubeconfig, N node namespaces on one bridge with their Node " +
            "objects, a client namespace, an FRR router peering with every node (bgp, both), MetalLb.Net installed with its Helm " +
            "chart (its controller and one speaker per node run as processes by the lab's node agent), a backend on each node " +
            "that answers HTTP with the node's name, a kube-proxy stand-in that sends a Service IP's traffic reaching a node " +
            "to that backend (the IP is never on an interface, so only the speaker answers ARP/NDP, as with strictARP), and the " +
            "sample configuration (/run/metallb-net-lab/NAME/config.yaml). Prints its progress, then the status view, then " +
            "returns; the lab keeps running in the background until `metallb-net lab down`.\n\n" +
            "Examples:\n" +
            "  sudo metallb-net lab up\n" +
            "  sudo metallb-net lab up --nodes 5 --mode l2 --kubeconfig ./lab.kubeconfig\n" +
            "  sudo metallb-net lab up --ml-profile lan  (the speakers gossip with memberlist's LAN timers)\n" +
            "  sudo metallb-net lab up --foreground      (Ctrl-C stops and removes it)\n\n" +
            "Exit code: 0 up, 1 failed (or already up), 2 usage error, 3 a prerequisite is missing.")
        {
            name, nodes, mode, kubeconfig, foreground, logLevel, install, mlProfile,
        };
        command.SetAction(parse =>
        {
            var settings = new LabSettings
            {
                Name = parse.GetValue(name)!,
                Nodes = parse.GetValue(nodes),
                Mode = Enum.Parse<LabMode>(parse.GetValue(mode)!, ignoreCase: true),
                Kubeconfig = parse.GetValue(kubeconfig) is { } k ? Path.GetFullPath(k) : null,
                LogLevel = parse.GetValue(logLevel)!,
                Install = Enum.Parse<LabInstall>(parse.GetValue(install)!, ignoreCase: true),
                MlProfile = parse.GetValue(mlProfile)!,
            };
            var missing = LabPrerequisites.Missing(settings);
            if (missing.Count > 0)
            {
                io.Stderr.WriteLine("lab up: cannot start, missing:");
                foreach (string m in missing) io.Stderr.WriteLine($"  - {m}");
                return LabCommand.Missing;
            }
            if (AlreadyThere(io, settings)) return LabCommand.Failed;
            if (settings.Kubeconfig is { } existing && File.Exists(existing))
            {
                // `lab down` deletes the lab's kubeconfigs: never take over a file that was already there (~/.kube/config).
                io.Stderr.WriteLine($"lab up: {existing} already exists; `lab down` would delete it. Give --kubeconfig a new file.");
                return LabCommand.Failed;
            }
            if (parse.GetValue(foreground)) return RunForeground(settings, io);
            string[] args =
            [
                "lab", "up", "--foreground", "--name", settings.Name, "--nodes", settings.Nodes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--mode", settings.Mode.ToString().ToLowerInvariant(), "--log-level", settings.LogLevel,
                "--install", settings.Install.ToString().ToLowerInvariant(),
                "--ml-profile", settings.MlProfile,
                .. settings.Kubeconfig is { } path ? (string[])["--kubeconfig", path] : [],
            ];
            if (LabLauncher.Start(settings, args, io.Stdout) != LabLauncher.Up) return LabCommand.Failed;
            string n = settings.Name == "lab" ? "" : $" --name {settings.Name}";
            io.Stdout.WriteLine($"""

                The lab runs in the background. Next:
                  kubectl --kubeconfig {settings.Kubeconfig ?? LabPaths.Kubeconfig(settings.Name)} create service loadbalancer web --tcp=80
                  metallb-net lab status{n} --watch
                  sudo ip netns exec {settings.Prefix}-client curl -s http://<the Service's IP>/
                  sudo metallb-net lab failover{n} --how kill|stop|cut
                  sudo metallb-net lab down{n}
                """);
            return LabCommand.Done;
        });
        return command;
    }

    /// <summary>A lab of this name running, or left behind by a crash: say which and what to do.</summary>
    private static bool AlreadyThere(CliIO io, LabSettings settings)
    {
        string n = settings.Name == "lab" ? "" : $" --name {settings.Name}";
        var state = LabState.Read(settings.Name);
        if (state is not null && ProcInfo.IsAlive(state.DaemonPid, state.DaemonStartTime))
        {
            io.Stderr.WriteLine($"lab up: lab '{settings.Name}' is already up (pid {state.DaemonPid}, {state.Phase}). `metallb-net lab status{n}` shows it; `sudo metallb-net lab down{n}` removes it; --name starts another beside it.");
            return true;
        }
        var leftovers = LabTeardown.LabNamespaces(settings.Prefix + "-");
        if (state is not null || leftovers.Count > 0)
        {
            io.Stderr.WriteLine($"lab up: lab '{settings.Name}' left things behind (a crash?): {(leftovers.Count > 0 ? string.Join(", ", leftovers) : LabPaths.Dir(settings.Name))}. Run `sudo metallb-net lab down{n}` first.");
            return true;
        }
        return false;
    }

    private static int RunForeground(LabSettings settings, CliIO io)
    {
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext ctx)
        {
            ctx.Cancel = true;   // not the default exit: the lab removes what it made first
            stop.Cancel();
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        return LabRunner.RunAsync(settings, io.Stdout, stop.Token).GetAwaiter().GetResult() == 0 ? LabCommand.Done : LabCommand.Failed;
    }
}
