using System.Net;

namespace MetalLb.Net.Layer2;

public sealed partial class Layer2Announcer
{
    // Caller holds _gate. Sent only while owned: a withdraw between push and tick wins.
    private void SendRound(IPAddress ip)
    {
        if (!_owned.Owned.ContainsKey(ip))
            return;
        foreach (var responder in _responders.Values)
        {
            if (_owned.IsOwned(ip, responder.Link.Name))
                responder.SendGratuitous(ip);
        }
    }

    // Caller holds _gate. One one-shot timer, re-armed for the earliest pending round.
    private void ArmGratuitousTimer()
    {
        if (_disposed || _schedule.NextDue is not { } due)
            return;
        var delay = due - Now();
        if (delay < TimeSpan.Zero)
            delay = TimeSpan.Zero;
        if (_gratuitousTimer is null)
            _gratuitousTimer = _time.CreateTimer(_ => GratuitousTick(), null, delay, Timeout.InfiniteTimeSpan);
        else
            _gratuitousTimer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private void GratuitousTick()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            foreach (var ip in _schedule.TakeDue(Now()))
                SendRound(ip);
            ArmGratuitousTimer();
        }
    }

    private void Refresh()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            foreach (var ip in _owned.Owned.Keys)
                SendRound(ip);
        }
    }
}
