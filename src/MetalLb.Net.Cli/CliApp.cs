using System.CommandLine;
using System.CommandLine.Help;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Cli;

/// <summary>
/// `metallb-net`: the command line. Exit codes are part of the contract: 0 valid, 1 the
/// configuration is invalid, 2 usage error or unreadable input.
/// </summary>
public static class CliApp
{
    public const int Valid = 0, Invalid = 1, UsageError = 2;

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var io = new CliIO(stdin, stdout, stderr);
        var plan = PlanCommand.Create(io);
        var validate = ValidateCommand.Create(io);
        var lab = LabCommand.Create(io);
        var root = new RootCommand(
            "metallb-net: MetalLB for bare-metal Kubernetes, rebuilt in C#.\n" +
            "Offline tools that read the same manifests you give MetalLB and answer with the same decisions.\n\n" +
            "Example:\n  metallb-net plan deploy/samples/")
        {
            lab,
            plan,
            validate,
        };
        // The commands' own help is long (it teaches, with examples), so the root's help is
        // written by hand with one line per command.
        if (root.Options.OfType<HelpOption>().FirstOrDefault() is { Action: HelpAction generated } helpOption)
            helpOption.Action = new RootHelpAction(root, generated);
        var parsed = root.Parse(args);
        // --help clears parse errors ("plan --help" without a PATH is fine).
        if (parsed.Errors.Count > 0 && parsed.Action is not { ClearsParseErrors: true })
        {
            foreach (var error in parsed.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("Run 'metallb-net --help' (or 'metallb-net plan --help') for usage.");
            return UsageError;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>--namespace: the MetalLB namespace; metallb.io objects elsewhere are ignored.</summary>
    internal static Option<string> NamespaceOption() => new("--namespace", "-n")
    {
        Description = "The namespace MetalLB runs in. metallb.io objects in other namespaces are ignored, as MetalLB ignores them; objects without a namespace are taken to be in it.",
        DefaultValueFactory = _ => "metallb-system",
        HelpName = "namespace",
    };

    internal static Option<string> ModeOption() => new("--bgp-mode")
    {
        Description = "Whose BGP validation rules apply: frr-k8s (default; IPv6, large communities, BFD, graceful restart accepted), frr, or native (upstream's native speaker's limits).",
        DefaultValueFactory = _ => "frr-k8s",
        HelpName = "mode",
    };

    internal static BgpMode ParseMode(string? text) => text switch
    {
        "native" => BgpMode.Native,
        "frr" => BgpMode.Frr,
        _ => BgpMode.FrrK8s,
    };

    internal static Argument<string[]> PathsArgument() => new("PATH")
    {
        Description = "YAML files (multi-document) or folders (every *.yaml and *.yml below, sorted by path); '-' reads standard input.",
        Arity = ArgumentArity.OneOrMore,
    };
}

/// <summary>The streams a command writes to; tests pass their own.</summary>
internal sealed record CliIO(TextReader Stdin, TextWriter Stdout, TextWriter Stderr);
