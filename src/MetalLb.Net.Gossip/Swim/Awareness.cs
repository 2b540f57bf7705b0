namespace MetalLb.Net.Gossip.Swim;

/// <summary>
/// Lifeguard's local health multiplier (memberlist's awareness): missed nacks and refuting
/// accusations about ourselves raise the score, successful probes lower it; timeouts are
/// stretched by (score + 1), so a starved member slows down instead of accusing healthy ones.
/// </summary>
internal sealed class Awareness(int max)
{
    public int Score { get; private set; }

    public void ApplyDelta(int delta) => Score = Math.Clamp(Score + delta, 0, Math.Max(0, max - 1));

    public TimeSpan Scale(TimeSpan timeout) => timeout * (Score + 1);
}
