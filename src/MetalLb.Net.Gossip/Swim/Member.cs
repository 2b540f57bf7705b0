using System.Net;

namespace MetalLb.Net.Gossip.Swim;

/// <summary>A member as this node currently sees it.</summary>
public sealed record Member(string Name, IPEndPoint Address, MemberState State, uint Incarnation, byte[] Meta);
