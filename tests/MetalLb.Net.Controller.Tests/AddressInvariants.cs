using System.Globalization;
using System.Text.Json;
using MetalLb.Net.KubeEmulator;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Controller.Tests;

/// <summary>
/// A witness of the two promises about addresses: no address is in two statuses unless the two
/// Services may share it (same allow-shared-ip key, no common port), and a Service that got an
/// address keeps exactly it for as long as it exists (no move, no drop). Violations are
/// collected, not thrown, so a test can assert on all of them at the end.
/// <para>
/// The witness is independent of the code under test: it lists and watches Services with a plain
/// HttpClient and reads the frames with System.Text.Json's DOM, not with our Kube informer or our
/// Api models, so a client bug (a lost event, a stale cache, a misread field) that the controller
/// shares cannot hide a controller bug. Each watch frame is one commit of the API server, so a
/// check after every frame is a check of every state the server held. A cut watch resumes from
/// the last resourceVersion and misses nothing; only a 410 (history compacted) forces a relist,
/// whose snapshot is checked whole and the states in between are not seen (<see cref="Relists"/>
/// counts such gaps).
/// </para>
/// </summary>
internal sealed class AddressInvariants : IAsyncDisposable
{
    private const string Path = "/api/v1/services";

    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _run;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Seen> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _firstIPs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _mayChange = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];
    private long _resourceVersion;
    private int _changes;
    private int _relists = -1;
    private int _reconnects;

    public AddressInvariants(EmulatorServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _http = server.CreateHttpClient();
        _run = Task.Run(RunAsync);
    }

    /// <summary>Completes once the first list is in: every later change is seen.</summary>
    public async Task ReadyAsync()
    {
        await Task.WhenAny(_ready.Task, _run).WaitAsync(Eventually.DefaultDeadline);
        if (_run.IsFaulted)
            await _run;
    }

    /// <summary>ADDED, MODIFIED and DELETED frames applied.</summary>
    public int Changes => Volatile.Read(ref _changes);

    /// <summary>Lists after the first one (each after a 410: the states between were not seen).</summary>
    public int Relists => Volatile.Read(ref _relists);

    /// <summary>Watches resumed after a cut connection or an unreachable server.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>The resourceVersion of the last frame or list applied.</summary>
    public long ResourceVersion => Interlocked.Read(ref _resourceVersion);

    public IReadOnlyList<string> Violations
    {
        get { lock (_gate) return [.. _violations]; }
    }

    /// <summary>The test itself changed this Service so that a new address is expected.</summary>
    public void AllowChange(string uid)
    {
        lock (_gate)
            _mayChange.Add(uid);
    }

    /// <summary>
    /// Waits until the witness has applied everything the server committed up to now, so the
    /// checks covered the whole run. Bookmarks carry the server's revision to the witness when
    /// the last commits were not Services.
    /// </summary>
    public async Task CaughtUpAsync(EmulatorServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        long target = server.ResourceVersion;
        await Eventually.True(async () =>
        {
            if (_run.IsCompleted)
                await _run;   // a witness that stopped cannot vouch for anything
            server.SendBookmarks();
            return ResourceVersion >= target;
        }, $"the witness reaches resourceVersion {target} (at {ResourceVersion}, {Reconnects} reconnects)");
    }

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        bool list = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (list)
                {
                    await ListAsync(ct);
                    _ready.TrySetResult();
                }
                list = await WatchAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
            {
                // The server is down or the watch was cut (maybe mid-frame, which was then never
                // applied): resume from the last resourceVersion after a short pause.
                Interlocked.Increment(ref _reconnects);
                try
                {
                    await Task.Delay(50, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListAsync(CancellationToken ct)
    {
        using var response = await _http.GetAsync(Path, ct);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        var listed = doc.RootElement.GetProperty("items").EnumerateArray().Select(Seen.From).ToList();
        lock (_gate)
        {
            _services.Clear();
            foreach (var s in listed)
            {
                _services[s.Key] = s;
                CheckMove(s);
            }
            var earlier = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in listed)
            {
                CheckSharing(s, "a list", earlier);   // each pair once
                earlier.Add(s.Key);
            }
            Interlocked.Exchange(ref _resourceVersion, ParseRv(doc.RootElement.GetProperty("metadata")));
            Interlocked.Increment(ref _relists);
        }
    }

    /// <summary>Applies watch frames until the stream ends; true when a 410 asks for a relist.</summary>
    private async Task<bool> WatchAsync(CancellationToken ct)
    {
        string query = string.Create(CultureInfo.InvariantCulture, $"{Path}?watch=true&allowWatchBookmarks=true&resourceVersion={ResourceVersion}");
        using var response = await _http.GetAsync(query, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        // The API server writes one {"type","object"} JSON document per line.
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
                continue;
            using var frame = JsonDocument.Parse(line);
            string type = frame.RootElement.GetProperty("type").GetString()!;
            var obj = frame.RootElement.GetProperty("object");
            if (type == "ERROR")
            {
                if (obj.TryGetProperty("code", out var code) && code.GetInt32() == 410)
                    return true;
                throw new IOException($"watch ERROR frame: {obj}");
            }
            Apply(type, obj);
        }
        return false;
    }

    private void Apply(string type, JsonElement obj)
    {
        long rv = ParseRv(obj.GetProperty("metadata"));
        lock (_gate)
        {
            switch (type)
            {
                case "BOOKMARK":
                    break;
                case "ADDED" or "MODIFIED":
                    var s = Seen.From(obj);
                    _services[s.Key] = s;
                    CheckMove(s);
                    CheckSharing(s, $"{type} of {s.Key} at rv {rv}");
                    _changes++;
                    break;
                case "DELETED":
                    _services.Remove(Seen.From(obj).Key);
                    _changes++;
                    break;
                default:
                    _violations.Add($"unknown watch frame type {type}");
                    break;
            }
            Interlocked.Exchange(ref _resourceVersion, rv);
        }
    }

    private void CheckMove(Seen s)
    {
        if (_firstIPs.TryGetValue(s.Uid, out var first))
        {
            if (!first.SequenceEqual(s.IPs) && !_mayChange.Contains(s.Uid))
                _violations.Add($"{s.Key} changed from [{string.Join(",", first)}] to [{string.Join(",", s.IPs)}] (rv {s.ResourceVersion})");
        }
        else if (s.IPs.Length > 0)
        {
            _firstIPs[s.Uid] = s.IPs;
        }
    }

    // A pair can only become a violation when one of the two changes, so after a change it is
    // enough to look at the changed Service's addresses.
    private void CheckSharing(Seen s, string after, HashSet<string>? skip = null)
    {
        foreach (string ip in s.IPs)
            foreach (var other in _services.Values)
                if (other.Key != s.Key && other.IPs.Contains(ip) && !Seen.MayShare(s, other) && skip?.Contains(other.Key) != true)
                    _violations.Add($"{ip} held by {s.Key} and {other.Key} (after {after})");
    }

    private static long ParseRv(JsonElement metadata) =>
        long.Parse(metadata.GetProperty("resourceVersion").GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }
        _http.Dispose();
        _stop.Dispose();
    }

    /// <summary>What the witness keeps of a Service, read straight from the JSON.</summary>
    private sealed record Seen(string Key, string Uid, string ResourceVersion, string[] IPs, string? SharingKey, HashSet<(string, int)> Ports)
    {
        public static Seen From(JsonElement svc)
        {
            var meta = svc.GetProperty("metadata");
            string key = $"{Str(meta, "namespace")}/{Str(meta, "name")}";
            string? sharing = null;
            if (meta.TryGetProperty("annotations", out var ann))
                sharing = Str(ann, "metallb.io/allow-shared-ip") ?? Str(ann, "metallb.universe.tf/allow-shared-ip");
            var ports = new HashSet<(string, int)>();
            if (svc.TryGetProperty("spec", out var spec) && spec.TryGetProperty("ports", out var ps))
                foreach (var p in ps.EnumerateArray())
                    ports.Add((Str(p, "protocol") ?? "TCP", p.GetProperty("port").GetInt32()));
            var ips = new List<string>();
            if (svc.TryGetProperty("status", out var status) && status.TryGetProperty("loadBalancer", out var lb)
                && lb.TryGetProperty("ingress", out var ingress))
                foreach (var i in ingress.EnumerateArray())
                    if (Str(i, "ip") is { } ip)
                        ips.Add(ip);
            return new Seen(key, Str(meta, "uid") ?? key, Str(meta, "resourceVersion") ?? "", [.. ips], sharing, ports);
        }

        public static bool MayShare(Seen a, Seen b) =>
            !string.IsNullOrEmpty(a.SharingKey) && a.SharingKey == b.SharingKey && !a.Ports.Overlaps(b.Ports);

        private static string? Str(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
