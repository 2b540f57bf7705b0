using System.CommandLine;
using MetalLb.Net.Lab;

namespace MetalLb.Net.Cli;

/// <summary>`metallb-net lab down`: removes the lab, also what a crashed `lab up` left.</summary>
internal static class LabDownCommand
{
    public static Command Create(CliIO io)
    {
        var name = LabCommand.NameOption();
        var command = new Command("down",
            "Stop the lab and remove everything it made: its processes, its network namespaces (mlb-NAME-*), its kubeconfigs " +
            "and its folder. Works after a crash of `lab up` too (it reads what the lab recorded, and looks for namespaces with " +
            "the lab's prefix). Running it when there is no lab is fine: it says so.\n\n" +
            "Examples:\n  sudo metallb-net lab down\n  sudo metallb-net lab down --name second\n\n" +
            "Exit code: 0 removed (or nothing there), 1 something could not be removed, 3 not root.")
        {
            name,
        };
        command.SetAction(parse =>
        {
            string n = parse.GetValue(name)!;
            if (!LabCommand.RequireRoot(io, "down")) return LabCommand.Missing;
            var outcome = LabTeardown.Down(n, io.Stdout.WriteLine);
            if (outcome.Nothing)
            {
                io.Stdout.WriteLine($"lab down: no lab named '{n}' (no state, namespace or folder): nothing to remove.");
                return LabCommand.Done;
            }
            foreach (string r in outcome.Removed) io.Stdout.WriteLine($"  removed {r}");
            if (outcome.Left.Count > 0)
            {
                io.Stderr.WriteLine($"lab down: could not remove: {string.Join(", ", outcome.Left)}");
                return LabCommand.Failed;
            }
            io.Stdout.WriteLine($"lab down: lab '{n}' is gone; no namespace, process or file of it is left.");
            return LabCommand.Done;
        });
        return command;
    }
}
