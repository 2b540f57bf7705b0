using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Bfd;

public sealed partial class BfdFsm
{
    private BfdState GoDown(BfdDiagnostic why)
    {
        LocalDiag = why;
        return BfdState.Down;
    }

    private BfdState GoUp()
    {
        LocalDiag = BfdDiagnostic.None;
        return BfdState.Up;
    }

    /// <summary>
    /// Up: Desired Min TX drops from the slow-start second to the configured value, which is a
    /// parameter change and so a poll sequence (§6.8.3). A faster rate applies at once, or the
    /// peer, which now expects our new rate, could time us out.
    /// </summary>
    private void OnUp()
    {
        if (AdvertisedTx == _txInEffect)
            return;
        _txInEffect = Min(_txInEffect, AdvertisedTx);
        _pollActive = true;
    }

    private void OnLeftUp()
    {
        // Back to the slow rate; no poll outside Up.
        EndPoll();
    }

    private void EndPoll()
    {
        _pollActive = false;
        _txInEffect = AdvertisedTx;
        _rxInEffect = _options.RequiredMinRxInterval;
    }

    private BfdControlPacket? SendIfAllowed(DateTimeOffset now, bool final)
    {
        if (!CanTransmit)
        {
            _nextTxAt = null;
            return null;
        }
        _nextTxAt = now + Jittered(TransmitInterval);
        return CreatePacket(final);
    }

    /// <summary>§6.8.7: each interval is cut by a random 0-25 %, or 10-25 % when the multiplier is 1.</summary>
    private TimeSpan Jittered(TimeSpan interval)
    {
        if (_jitter is null)
            return interval;
        var r = _jitter();
        return interval * (_options.DetectMult == 1 ? 0.9 - 0.15 * r : 1.0 - 0.25 * r);
    }

    private BfdStep Stay(BfdControlPacket? send) => new(SessionState, SessionState, LocalDiag, send);

    private static void Validate(BfdFsmOptions o)
    {
        ArgumentOutOfRangeException.ThrowIfZero(o.DetectMult, nameof(o.DetectMult));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(o.DesiredMinTxInterval, TimeSpan.Zero, nameof(o.DesiredMinTxInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.RequiredMinRxInterval, TimeSpan.Zero, nameof(o.RequiredMinRxInterval));
    }

    internal static TimeSpan FromMicroseconds(uint us) => TimeSpan.FromTicks(us * 10L);

    internal static uint ToMicroseconds(TimeSpan t) => (uint)Math.Min(uint.MaxValue, t.Ticks / 10);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
