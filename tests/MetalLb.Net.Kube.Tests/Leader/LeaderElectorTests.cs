using MetalLb.Net.Kube.Leader;
namespace MetalLb.Net.Kube.Tests.Leader;

public sealed class LeaderElectorTests
{
    private readonly TimerClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly LeaseStoreFake _store = new();
    private readonly List<Candidate> _candidates = [];

    /// <summary>
    /// Moves the clock from timer to timer, each time only after every running candidate has
    /// parked on its next timer, until <paramref name="condition"/> holds.
    /// </summary>
    private Task RunUntil(Func<bool> condition, string what) =>
        _clock.RunUntil(() => _candidates.Count(c => !c.Run.IsCompleted), condition, what);

    private static LeaderElectionOptions Options(string identity) =>
        new() { LeaseName = "metallb-controller", Namespace = "metallb-system", Identity = identity };

    private sealed class Candidate
    {
        public required LeaderElector Elector { get; init; }
        public required LeaseStoreFake.View Store { get; init; }
        public required CancellationTokenSource Stop { get; init; }
        public Task Run { get; set; } = Task.CompletedTask;
        public volatile bool Leading;
        public volatile bool LeadingTokenCancelled;
    }

    private Candidate Start(string identity)
    {
        LeaseStoreFake.View view = _store.For(identity, _clock);
        var candidate = new Candidate
        {
            Elector = new LeaderElector(view, Options(identity), _clock),
            Store = view,
            Stop = new CancellationTokenSource(),
        };
        candidate.Run = candidate.Elector.RunAsync(async token =>
        {
            candidate.Leading = true;
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                candidate.Leading = false;
                candidate.LeadingTokenCancelled = token.IsCancellationRequested;
            }
        }, candidate.Stop.Token);
        _candidates.Add(candidate);
        return candidate;
    }

    [Fact]
    public async Task A_lone_candidate_leads_renews_and_releases_on_shutdown()
    {
        Candidate a = Start("a");
        await RunUntil(() => a.Leading, "a leads");
        DateTimeOffset? firstRenew = _store.Current!.Spec.RenewTime;
        await RunUntil(() => _store.Current!.Spec.RenewTime > firstRenew, "a renews");
        Assert.Equal("a", _store.Current!.Spec.HolderIdentity);
        Assert.Equal(15, _store.Current.Spec.LeaseDurationSeconds);

        await a.Stop.CancelAsync();
        await a.Run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(a.LeadingTokenCancelled);
        Assert.False(a.Elector.IsLeader);
        Assert.Equal("", _store.Current!.Spec.HolderIdentity);   // released, successors need not wait
    }

    [Fact]
    public async Task A_second_candidate_waits_while_the_leader_renews_and_takes_over_at_once_after_a_release()
    {
        Candidate a = Start("a");
        await RunUntil(() => a.Leading, "a leads");
        Candidate b = Start("b");
        var seen = new List<string>();
        b.Elector.NewLeader += seen.Add;
        DateTimeOffset until = _clock.GetUtcNow() + TimeSpan.FromSeconds(60);
        await RunUntil(() => _clock.GetUtcNow() >= until, "a minute of renewals");
        Assert.False(b.Leading);
        Assert.Equal("a", b.Elector.ObservedLeader);

        await a.Stop.CancelAsync();
        await a.Run.WaitAsync(TimeSpan.FromSeconds(30));
        DateTimeOffset released = _clock.GetUtcNow();
        await RunUntil(() => b.Leading, "b leads");

        // Within one jittered retry period (2 s * 2.2), not a whole lease duration. The clock
        // moves only from one timer to the next, so acquireTime is the instant of b's attempt.
        DateTimeOffset acquired = _store.Current!.Spec.AcquireTime!.Value;
        Assert.True(acquired - released <= TimeSpan.FromSeconds(4.4), $"took {acquired - released}");
        Assert.Equal(1, _store.Current!.Spec.LeaseTransitions);
        Assert.Contains("b", seen);
        await b.Stop.CancelAsync();
        await b.Run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_cut_off_leader_steps_down_by_its_renew_deadline_before_another_may_take_over()
    {
        Candidate a = Start("a");
        await RunUntil(() => a.Leading, "a leads");
        Candidate b = Start("b");
        await RunUntil(() => b.Elector.ObservedLeader == "a", "b sees a");

        DateTimeOffset lastRenew = _store.Current!.Spec.RenewTime!.Value;
        a.Store.Unreachable = true;
        await RunUntil(() => a.Run.IsCompleted, "a gives up");
        Assert.True(a.LeadingTokenCancelled);
        // a's attempts run on the fake clock; its last one is where it gave up: within the renew
        // deadline counted from the renew cycle after its last success.
        DateTimeOffset gaveUp = a.Store.LastAttempt!.Value;
        Assert.True(gaveUp - lastRenew <= TimeSpan.FromSeconds(10) + TimeSpan.FromSeconds(2), $"a held on for {gaveUp - lastRenew}");

        await RunUntil(() => b.Leading, "b leads");
        DateTimeOffset acquired = _store.Current!.Spec.AcquireTime!.Value;
        Assert.True(acquired - lastRenew >= TimeSpan.FromSeconds(15), $"b took over after {acquired - lastRenew}");
        Assert.True(acquired > gaveUp, "never two leaders at once");
        Assert.Equal("b", _store.Current!.Spec.HolderIdentity);
        await b.Stop.CancelAsync();
        await b.Run.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
