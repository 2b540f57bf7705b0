using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>
/// What one input did to a <see cref="BfdFsm"/>: the state before and after, the local
/// diagnostic (why it left Up), and a packet the edge must send now, outside the periodic
/// schedule (a Final, or the news of a state change).
/// </summary>
public readonly record struct BfdStep(BfdState From, BfdState To, BfdDiagnostic Diagnostic, BfdControlPacket? Send)
{
    public bool Changed => From != To;
}
