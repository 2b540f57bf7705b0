using System.Net;

namespace MetalLb.Net.Gossip.Swim;

/// <summary>Our mutable record of one member (memberlist's nodeState).</summary>
internal sealed class NodeState(string name, IPEndPoint address)
{
    public string Name { get; } = name;

    public IPEndPoint Address { get; set; } = address;

    public byte[] Meta { get; set; } = [];

    public byte[] Vsn { get; set; } = [];

    public uint Incarnation { get; set; }

    public MemberState State { get; set; } = MemberState.Dead;

    /// <summary>Smoothed round trip of this member's direct acks in ms (RFC 6298's SRTT); null before the first (<see cref="AckTimeout"/>).</summary>
    public double? SrttMs { get; set; }

    /// <summary>RFC 6298's RTTVAR for <see cref="SrttMs"/>, in ms.</summary>
    public double RttVarMs { get; set; }

    /// <summary>TimeProvider timestamp of the last state change.</summary>
    public long StateChange { get; set; }

    public bool IsDeadOrLeft => State is MemberState.Dead or MemberState.Left;

    /// <summary>The highest protocol version the member speaks; 5 and up wants a CRC on packets.</summary>
    public byte ProtocolMax => Vsn.Length >= 2 ? Vsn[1] : (byte)0;

    public Member ToMember() => new(Name, Address, State, Incarnation, Meta);
}
