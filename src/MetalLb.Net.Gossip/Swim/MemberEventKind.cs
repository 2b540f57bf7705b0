namespace MetalLb.Net.Gossip.Swim;

/// <summary>What happened to a member.</summary>
public enum MemberEventKind
{
    /// <summary>Became alive (new, or back from dead or left).</summary>
    Join,
    /// <summary>Left gracefully (it said so).</summary>
    Leave,
    /// <summary>Declared dead after suspicion ran out.</summary>
    Fail,
    /// <summary>Changed its address or metadata.</summary>
    Update,
}
