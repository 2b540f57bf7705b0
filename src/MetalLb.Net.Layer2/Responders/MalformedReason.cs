namespace MetalLb.Net.Layer2.Responders;

/// <summary>Why a frame was dropped as malformed: the <c>reason</c> label of the dropped-frames counter.</summary>
public enum MalformedReason
{
    None,
    Truncated,
    InvalidHeader,
    BadChecksum,
    BadHopLimit,
    InvalidOptions,
}
