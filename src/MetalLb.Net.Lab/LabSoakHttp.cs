using System.Diagnostics;
using System.Net;

namespace MetalLb.Net.Lab;

/// <summary>
/// One Service under `lab soak`: an HTTP GET from the client every 10 ms over a new connection,
/// counted as answered, slow (over 1 s: TCP had to retransmit a lost segment) or failed (no answer
/// within the timeout), and, for an L2 address, how often the answering node changed.
/// </summary>
public sealed class LabSoakHttp
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>Long enough for two SYN retransmissions (1 s, then 2 s later): under 5 % loss a request fails only when the path is really gone.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly NamespaceSockets _client;
    private readonly IPEndPoint _target;
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _byNode = new(StringComparer.Ordinal);
    private string? _lastNode;
    private long _sent, _ok, _slow, _failed, _inFlight;

    public LabSoakHttp(NamespaceSockets client, LabSoakTarget target)
    {
        _client = client;
        Target = target;
        _target = new IPEndPoint(IPAddress.Parse(target.Ip), target.Port);
    }

    public LabSoakTarget Target { get; }

    public long Sent => Interlocked.Read(ref _sent);

    public long Ok => Interlocked.Read(ref _ok);

    public long Slow => Interlocked.Read(ref _slow);

    public long Failed => Interlocked.Read(ref _failed);

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Times the answering node differed from the one before (completion order); meaningful for L2 only, as BGP spreads flows.</summary>
    public int NodeChanges { get; private set; }

    public IReadOnlyDictionary<string, long> ByNode
    {
        get
        {
            lock (_gate)
                return new Dictionary<string, long>(_byNode, StringComparer.Ordinal);
        }
    }

    /// <summary>Sends until <paramref name="stop"/>, then waits for the requests in flight (each ends by its timeout).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var requests = new List<Task>();
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                requests.Add(OneAsync());
                if (requests.Count > 4096)
                    requests.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException)
        {
            // the soak is over
        }
        await Task.WhenAll(requests);
    }

    private async Task OneAsync()
    {
        Interlocked.Increment(ref _sent);
        Interlocked.Increment(ref _inFlight);
        var clock = Stopwatch.StartNew();
        string? node = await LabHttp.GetNodeAsync(_client, _target, Timeout, CancellationToken.None);
        Interlocked.Decrement(ref _inFlight);
        if (node is null)
        {
            Interlocked.Increment(ref _failed);
            return;
        }
        Interlocked.Increment(ref _ok);
        if (clock.Elapsed > TimeSpan.FromSeconds(1))
            Interlocked.Increment(ref _slow);
        lock (_gate)
        {
            _byNode[node] = _byNode.GetValueOrDefault(node) + 1;
            if (_lastNode is not null && _lastNode != node)
                NodeChanges++;
            _lastNode = node;
        }
    }
}
