namespace MetalLb.Net.Gossip.Swim;

/// <summary>A membership change, raised after the state change is applied.</summary>
public sealed record MemberEvent(MemberEventKind Kind, Member Member);
