using System.Net;
using MetalLb.Net.Layer2.Responders;

namespace MetalLb.Net.Layer2.Tests.Responders;

public sealed class GratuitousScheduleTests
{
    private static readonly IPAddress Ip = IPAddress.Parse("192.0.2.100");

    [Fact]
    public void One_takeover_is_five_rounds_at_0_1_1_2_2_3_3_and_4_4_seconds()
    {
        var schedule = new GratuitousSchedule();
        var rounds = new List<double>();
        if (schedule.Push(Ip, TimeSpan.Zero))
            rounds.Add(0);
        for (int ms = 100; ms <= 10_000; ms += 100)
        {
            if (schedule.TakeDue(TimeSpan.FromMilliseconds(ms)).Count > 0)
                rounds.Add(ms / 1000.0);
        }
        Assert.Equal([0, 1.1, 2.2, 3.3, 4.4], rounds);
        Assert.Equal(0, schedule.PendingCount);
    }

    [Fact]
    public void A_push_while_announcing_keeps_the_cadence_and_extends_it()
    {
        var schedule = new GratuitousSchedule();
        Assert.True(schedule.Push(Ip, TimeSpan.Zero));
        Assert.Single(schedule.TakeDue(TimeSpan.FromMilliseconds(1100)));
        Assert.False(schedule.Push(Ip, TimeSpan.FromMilliseconds(1500))); // no extra immediate round
        int later = 0;
        for (int ms = 1600; ms <= 20_000; ms += 100)
            later += schedule.TakeDue(TimeSpan.FromMilliseconds(ms)).Count;
        Assert.Equal(GratuitousSchedule.Rounds - 1, later);
    }

    [Fact]
    public void A_late_tick_still_sends_every_round()
    {
        var schedule = new GratuitousSchedule();
        schedule.Push(Ip, TimeSpan.Zero);
        int rounds = 1;
        for (int s = 3; s <= 60; s += 3) // a machine so busy the timer runs every 3 s
            rounds += schedule.TakeDue(TimeSpan.FromSeconds(s)).Count;
        Assert.Equal(5, rounds);
    }

    [Fact]
    public void Removed_ips_are_not_announced_again()
    {
        var schedule = new GratuitousSchedule();
        schedule.Push(Ip, TimeSpan.Zero);
        schedule.Remove(Ip);
        Assert.Empty(schedule.TakeDue(TimeSpan.FromSeconds(2)));
        Assert.Null(schedule.NextDue);
    }
}
