namespace MetalLb.Net.Gossip.Swim;

/// <summary>
/// A member's state as memberlist names it (NodeStateType).
/// Append only: values are on the wire (push-pull carries them).
/// </summary>
public enum MemberState
{
    Alive = 0,
    Suspect = 1,
    Dead = 2,
    /// <summary>Left gracefully. memberlist 0.2 sends Dead for this; newer versions send Left.</summary>
    Left = 3,
}
