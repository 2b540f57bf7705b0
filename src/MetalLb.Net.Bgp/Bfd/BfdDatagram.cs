using System.Net;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>One received UDP payload with what the IP header said: the TTL (or hop limit) and our address it was sent to.</summary>
internal sealed record BfdDatagram(byte[] Data, IPAddress Source, IPAddress? Destination, int Ttl, bool Multihop);
