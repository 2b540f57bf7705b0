namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// The process tests run one after another: each starts real executables (controllers,
/// kubectl, Prometheus), and on a 2-core machine several at once would starve each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessCollection
{
    public const string Name = "controller processes";
}
