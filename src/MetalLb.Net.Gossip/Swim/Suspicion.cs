namespace MetalLb.Net.Gossip.Swim;

/// <summary>One running suspicion: who has confirmed it, and when it must fire.</summary>
internal sealed class Suspicion(string from, int expected, TimeSpan min, TimeSpan max, long start, uint incarnation)
{
    private readonly HashSet<string> _confirmers = [from];

    public uint Incarnation { get; } = incarnation;

    public long Start { get; } = start;

    public ITimer? Timer { get; set; }

    public int Confirmations => _confirmers.Count - 1;

    /// <summary>Total time from <see cref="Start"/> until the member is declared dead, given the confirmations so far.</summary>
    public TimeSpan Timeout => SuspicionTimeout.Timeout(Confirmations, expected, min, max);

    /// <summary>
    /// Time added to <see cref="Timeout"/> while the verdict waits for packets a starved
    /// process has not read yet (Memberlist.DeferVerdict); zero until then.
    /// </summary>
    public TimeSpan Grace { get; set; }

    /// <summary>Elapsed time (from <see cref="Start"/>) after which no more grace is given; null until the first is.</summary>
    public TimeSpan? GraceEnds { get; set; }

    /// <summary>Total time from <see cref="Start"/> until the timer should fire: the timeout plus any grace.</summary>
    public TimeSpan Deadline => Timeout + Grace;

    /// <summary>True when <paramref name="confirmer"/> is new and still counts (worth re-gossiping).</summary>
    public bool Confirm(string confirmer)
    {
        if (Confirmations >= expected)
            return false;
        return _confirmers.Add(confirmer);
    }
}
