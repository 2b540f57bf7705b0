using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace MetalLb.Net.Cli;

/// <summary>
/// `metallb-net --help`: a short page listing each command in one line. A command's own
/// --help (long, with examples) is the generated one.
/// </summary>
internal sealed class RootHelpAction(RootCommand root, HelpAction generated) : SynchronousCommandLineAction
{
    private const string Text = """
        metallb-net: MetalLB for bare-metal Kubernetes, rebuilt in C#.
        Try the whole system on this machine (root), or plan a configuration offline (no root).

        Usage:
          metallb-net lab up|status|failover|down  a cluster in network namespaces: kubectl, the controller, speakers, FRR, a client
          metallb-net plan [options] PATH...       which IP each LoadBalancer Service gets, who announces it, and why not
          metallb-net validate [options] PATH...   every configuration error, with the object to fix

        Try:
          sudo metallb-net lab up          (then: metallb-net lab status; sudo metallb-net lab down)
          metallb-net plan deploy/samples/

        Run 'metallb-net lab --help', 'metallb-net plan --help' or 'metallb-net validate --help' for the options and more examples.
        """;

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        if (parseResult.CommandResult.Command != root) return generated.Invoke(parseResult);
        parseResult.InvocationConfiguration.Output.WriteLine(Text);
        return 0;
    }
}
