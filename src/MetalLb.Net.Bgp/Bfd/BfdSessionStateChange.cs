using System.Net;
using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>A session changed state; <see cref="Diagnostic"/> is our reason, <see cref="RemoteState"/> what the peer last said.</summary>
public sealed record BfdSessionStateChange(string Key, IPAddress Peer, BfdState From, BfdState To, BfdDiagnostic Diagnostic, BfdState RemoteState)
{
    /// <summary>
    /// The path failed: Up to Down, except when the peer went AdminDown, which RFC 5882 §3.2
    /// says a client must not take as a failure. This is when BGP comes down.
    /// </summary>
    public bool IsFailure => From == BfdState.Up && To == BfdState.Down && RemoteState != BfdState.AdminDown;
}
