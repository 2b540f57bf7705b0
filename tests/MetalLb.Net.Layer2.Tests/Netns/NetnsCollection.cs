namespace MetalLb.Net.Layer2.Tests.Netns;

/// <summary>
/// Namespace tests run one at a time: each is light, but on a shared 2-core machine running
/// several arping/ndisc6/tcpdump sessions at once only adds load without saving much time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NetnsCollection
{
    public const string Name = "netns";
}
