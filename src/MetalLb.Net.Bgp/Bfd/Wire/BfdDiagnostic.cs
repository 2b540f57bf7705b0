namespace MetalLb.Net.Bgp.Bfd.Wire;

/// <summary>The Diag field: why the sender's session last left Up (RFC 5880 §4.1). Append only: values are on the wire.</summary>
public enum BfdDiagnostic : byte
{
    None = 0,
    ControlDetectionTimeExpired = 1,
    EchoFunctionFailed = 2,
    NeighborSignaledSessionDown = 3,
    ForwardingPlaneReset = 4,
    PathDown = 5,
    ConcatenatedPathDown = 6,
    AdministrativelyDown = 7,
    ReverseConcatenatedPathDown = 8,
}
