namespace MetalLb.Net.Layer2.Responders;

/// <summary>What a responder decided about one received frame.</summary>
public enum FrameVerdict
{
    /// <summary>Well formed but not a question for us (a reply, our own frame, another target).</summary>
    Ignored,

    /// <summary>A question for an IP this node does not own on this link right now.</summary>
    NotOwned,

    /// <summary>Dropped as malformed; <see cref="MalformedReason"/> says why, and it is counted.</summary>
    Malformed,

    /// <summary>A reply was written and must be sent.</summary>
    Answer,
}
