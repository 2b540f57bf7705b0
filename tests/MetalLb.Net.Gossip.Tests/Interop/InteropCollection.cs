namespace MetalLb.Net.Gossip.Tests.Interop;

/// <summary>
/// Real-time tests run alone, after the CPU-heavy simulations, so a starved process does not
/// miss its probes while the simulations hog both cores.
/// </summary>
[CollectionDefinition(nameof(InteropCollection), DisableParallelization = true)]
public sealed class InteropCollection;
