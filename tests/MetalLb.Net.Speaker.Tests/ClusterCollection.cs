namespace MetalLb.Net.Speaker.Tests;

/// <summary>
/// One cluster lab at a time: each runs a controller, three or more speakers and FRR, and on a
/// shared 2-core machine two labs at once would only make both slow. (Two labs can coexist:
/// their names and namespaces are unique.)
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster lab";
}
