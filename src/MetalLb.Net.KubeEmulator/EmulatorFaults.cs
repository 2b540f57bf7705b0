namespace MetalLb.Net.KubeEmulator;

/// <summary>
/// Fault injection for tests: make the next requests fail, cut open watches, answer the next
/// watches with 410 Expired, slow every request down. Thread-safe. The same knobs are reachable
/// over HTTP under /emulator/faults/... (see EmulatorServer).
/// </summary>
public sealed class EmulatorFaults
{
    private readonly object _gate = new();
    private readonly List<Failure> _failures = [];
    private int _expireWatches;
    private long _latencyTicks;
    private Func<int>? _cutWatches;
    private volatile bool _down;

    /// <summary>
    /// While true the API server is unreachable: every request's connection is dropped without
    /// an answer, and setting it cuts the open watches, as a crashed or partitioned server would.
    /// </summary>
    public bool Down
    {
        get => _down;
        set
        {
            _down = value;
            if (value)
                CutWatches();
        }
    }

    /// <summary>Added before every API request is handled. <value>Zero by default.</value></summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>
    /// The next <paramref name="count"/> API requests matching the HTTP method (any when null)
    /// and containing <paramref name="pathContains"/> in their path (any when null) are answered
    /// with a Status of <paramref name="statusCode"/> and nothing else happens.
    /// </summary>
    public void FailNext(int count, int statusCode, string? method = null, string? pathContains = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
            _failures.Add(new Failure(count, statusCode, method, pathContains));
    }

    /// <summary>The next <paramref name="count"/> watch requests get a 410 Expired ERROR event and end.</summary>
    public void ExpireNextWatches(int count = 1) => Interlocked.Add(ref _expireWatches, count);

    /// <summary>Drops every open watch connection, as a network cut would. Returns how many were open.</summary>
    public int CutWatches() => _cutWatches?.Invoke() ?? 0;

    /// <summary>Removes every pending fault and the latency.</summary>
    public void Clear()
    {
        lock (_gate)
            _failures.Clear();
        Interlocked.Exchange(ref _expireWatches, 0);
        Latency = TimeSpan.Zero;
        _down = false;
    }

    internal void OnCutWatches(Func<int> cut) => _cutWatches = cut;

    internal int? TakeFailure(string method, string path)
    {
        lock (_gate)
        {
            var f = _failures.Find(f => (f.Method is null || string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase))
                && (f.PathContains is null || path.Contains(f.PathContains, StringComparison.Ordinal)));
            if (f is null)
                return null;
            if (--f.Remaining == 0)
                _failures.Remove(f);
            return f.StatusCode;
        }
    }

    internal bool TakeExpiredWatch()
    {
        while (true)
        {
            int n = Volatile.Read(ref _expireWatches);
            if (n <= 0)
                return false;
            if (Interlocked.CompareExchange(ref _expireWatches, n - 1, n) == n)
                return true;
        }
    }

    private sealed class Failure(int count, int statusCode, string? method, string? pathContains)
    {
        public int Remaining { get; set; } = count;
        public int StatusCode { get; } = statusCode;
        public string? Method { get; } = method;
        public string? PathContains { get; } = pathContains;
    }
}
