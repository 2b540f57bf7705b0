namespace MetalLb.Net.Bgp.Bfd;

/// <summary>The timer parameters of one session (RFC 5880 §6.8.1 bfd.DesiredMinTxInterval, bfd.RequiredMinRxInterval, bfd.DetectMult).</summary>
public sealed record BfdFsmOptions
{
    /// <value>300 ms by default (MetalLB's BFDProfile transmitInterval).</value>
    public TimeSpan DesiredMinTxInterval { get; init; } = TimeSpan.FromMilliseconds(300);
    /// <value>300 ms by default (MetalLB's BFDProfile receiveInterval).</value>
    public TimeSpan RequiredMinRxInterval { get; init; } = TimeSpan.FromMilliseconds(300);
    /// <value>3 by default (MetalLB's BFDProfile detectMultiplier).</value>
    public byte DetectMult { get; init; } = 3;
    /// <summary>Passive role (§6.1): send nothing until the peer has sent us a packet.</summary>
    public bool Passive { get; init; }
}
