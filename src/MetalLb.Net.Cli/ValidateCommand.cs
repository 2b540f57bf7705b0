using System.CommandLine;
using MetalLb.Net.Core.Planning;

namespace MetalLb.Net.Cli;

/// <summary>`metallb-net validate`: every configuration error, nothing else.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliIO io)
    {
        var ns = CliApp.NamespaceOption();
        var mode = CliApp.ModeOption();
        mode.AcceptOnlyFromAmong("frr-k8s", "frr", "native");
        var paths = CliApp.PathsArgument();
        var command = new Command("validate",
            "Check MetalLB manifests the way MetalLB's webhooks, controller and speakers would, and print every error " +
            "(not only the first) with the object to blame and what to fix.\n\n" +
            "Examples:\n" +
            "  metallb-net validate deploy/samples/\n" +
            "  metallb-net validate --bgp-mode native config/\n\n" +
            "Exit code: 0 valid, 1 invalid, 2 usage error or unreadable input.")
        {
            ns, mode, paths,
        };
        command.SetAction(parse =>
        {
            var loaded = ManifestLoader.Load(parse.GetValue(paths)!, parse.GetValue(ns)!, io);
            if (loaded is null) return CliApp.UsageError;
            var plan = Planner.Plan(new PlanInput(loaded) with
            {
                Namespace = parse.GetValue(ns)!,
                Mode = CliApp.ParseMode(parse.GetValue(mode)),
            });
            foreach (var error in plan.Errors) io.Stdout.WriteLine($"{error.Kind} \"{error.Name}\": {error.Message}");
            io.Stderr.WriteLine(plan.Valid
                ? $"valid: {loaded.Count} objects read, no errors"
                : $"invalid: {plan.Errors.Count} error(s)");
            return plan.Valid ? CliApp.Valid : CliApp.Invalid;
        });
        return command;
    }
}
