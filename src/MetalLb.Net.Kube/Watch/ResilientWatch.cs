using System.Net;
using System.Runtime.CompilerServices;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetalLb.Net.Kube.Watch;

/// <summary>
/// List, then watch forever: the client-go reflector's contract as an async stream.
/// <list type="bullet">
/// <item>The first list is delivered as Added events followed by one Synced.</item>
/// <item>A closed or cut watch resumes from the last resourceVersion seen (event or bookmark),
/// so nothing is lost and nothing repeats.</item>
/// <item>410 Gone (the resume point was compacted away) triggers a relist, delivered as the
/// difference to what was already delivered: Added / Modified / Deleted, then Synced.</item>
/// <item>Failures reconnect after a jittered exponential backoff on the given clock.</item>
/// </list>
/// </summary>
public sealed class ResilientWatch<T> where T : KubeObject
{
    private readonly ResourceClient<T> _client;
    private readonly string? _namespace;
    private readonly ResilientWatchOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private static readonly string Kind = typeof(T).Name;

    /// <param name="logger">Relists, 410s and failed lists are logged here; nothing is logged when null.</param>
    public ResilientWatch(ResourceClient<T> client, string? ns = null, ResilientWatchOptions? options = null, TimeProvider? time = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _namespace = ns;
        _options = options ?? new ResilientWatchOptions();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>How many times a relist was needed after the first (410 Gone); for tests and metrics.</summary>
    public int Relists { get; private set; }

    /// <summary>How many watch connections were opened; for tests and metrics.</summary>
    public int Connections { get; private set; }

    private long _watchEvents;

    // A refused watch (403/401) was logged as a Warning; cleared once a watch delivers again.
    private bool _watchRefusalLogged;

    /// <summary>
    /// Why the last list failed (a missing CRD's 404, a 403 from RBAC, an unreachable server),
    /// null once a list succeeds. Failures are retried forever; this lets a host say why it waits.
    /// </summary>
    public Exception? LastListError { get; private set; }

    /// <summary>Events received on watch connections, bookmarks included; for tests and metrics.</summary>
    public long WatchEvents => Interlocked.Read(ref _watchEvents);

    public async IAsyncEnumerable<WatchEvent<T>> RunAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var known = new Dictionary<string, T>(StringComparer.Ordinal);
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff);
        string? resourceVersion = null;
        bool listedOnce = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (resourceVersion is null)
            {
                KubeList<T>? list = await TryListAsync(ct).ConfigureAwait(false);
                if (list is null)
                {
                    TimeSpan delay = backoff.Next();
                    Log.ListFailed(_logger, Kind, delay, LastListError is { } error ? Log.Reason(error) : "unknown");
                    await Task.Delay(delay, _time, ct).ConfigureAwait(false);
                    continue;
                }
                bool relist = listedOnce;
                if (relist)
                    Relists++;
                listedOnce = true;
                foreach (WatchEvent<T> change in Diff(known, list.Items))
                    yield return change;
                resourceVersion = list.ResourceVersion ?? "";
                if (relist)
                    Log.Relisted(_logger, Kind, list.Items.Count, resourceVersion, Relists);
                yield return new WatchEvent<T>(WatchEventType.Synced, null, null, resourceVersion);
            }

            var attempt = new WatchAttempt(this, resourceVersion);
            await foreach (WatchEvent<T> e in attempt.RunAsync(ct).ConfigureAwait(false))
            {
                backoff.Reset();
                if (e.Object is { } obj && e.Type != WatchEventType.Bookmark)
                {
                    if (e.Type == WatchEventType.Deleted)
                        known.Remove(obj.Key);
                    else
                        known[obj.Key] = obj;
                }
                resourceVersion = e.ResourceVersion ?? resourceVersion;
                yield return e;
            }
            if (attempt.Gone)
            {
                Log.WatchGone(_logger, Kind, resourceVersion ?? "");
                resourceVersion = null;   // relist at once: the next step is a list, not the same watch again
            }
            else
            {
                Log.WatchEnded(_logger, Kind, resourceVersion ?? "", attempt.Progressed);
            }
            if (!attempt.Progressed)
                await Task.Delay(backoff.Next(), _time, ct).ConfigureAwait(false);
        }
    }

    private async Task<KubeList<T>?> TryListAsync(CancellationToken ct)
    {
        try
        {
            var options = new ListOptions
            {
                LabelSelector = _options.LabelSelector,
                FieldSelector = _options.FieldSelector,
                Limit = _options.PageSize,
            };
            var list = await _client.ListAllAsync(_namespace, options, ct).ConfigureAwait(false);
            LastListError = null;
            return list;
        }
        catch (Exception e) when (IsTransient(e, ct))
        {
            LastListError = e;
            return null;
        }
    }

    private static IEnumerable<WatchEvent<T>> Diff(Dictionary<string, T> known, IReadOnlyList<T> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var changes = new List<WatchEvent<T>>();
        foreach (T item in items)
        {
            string key = item.Key;
            seen.Add(key);
            string? rv = item.Metadata.ResourceVersion;
            if (!known.TryGetValue(key, out T? old))
                changes.Add(new WatchEvent<T>(WatchEventType.Added, item, null, rv));
            else if (old.Metadata.ResourceVersion != rv)
                changes.Add(new WatchEvent<T>(WatchEventType.Modified, item, null, rv));
            known[key] = item;
        }
        foreach (string key in known.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            changes.Add(new WatchEvent<T>(WatchEventType.Deleted, known[key], null, null));
            known.Remove(key);
        }
        return changes;
    }

    internal static bool IsTransient(Exception e, CancellationToken ct) => !ct.IsCancellationRequested && e is
        HttpRequestException or IOException or System.Text.Json.JsonException or KubeApiException or OperationCanceledException;

    /// <summary>One watch connection, with what the resilient loop needs to know once it ends.</summary>
    private sealed class WatchAttempt(ResilientWatch<T> owner, string resourceVersion)
    {
        public bool Gone { get; private set; }
        public bool Progressed { get; private set; }

        public async IAsyncEnumerable<WatchEvent<T>> RunAsync([EnumeratorCancellation] CancellationToken ct)
        {
            owner.Connections++;
            // Stretch each timeout by up to 2x so a fleet's watches don't all end together.
            int timeout = (int)(owner._options.WatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble()));
            var options = new ListOptions
            {
                LabelSelector = owner._options.LabelSelector,
                FieldSelector = owner._options.FieldSelector,
                ResourceVersion = resourceVersion,
                AllowWatchBookmarks = true,
                TimeoutSeconds = Math.Max(1, timeout),
            };
            IAsyncEnumerator<WatchEvent<T>> events = owner._client.WatchAsync(owner._namespace, options, ct).GetAsyncEnumerator(ct);
            try
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await events.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.Gone && !ct.IsCancellationRequested)
                    {
                        Gone = true;
                        yield break;
                    }
                    catch (KubeApiException e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized && !ct.IsCancellationRequested)
                    {
                        // RBAC allows the list but not the watch: the cache stops following
                        // changes until someone fixes the Role. The user is told once (Warning);
                        // each retry after that is Debug, like any other failed watch.
                        if (!owner._watchRefusalLogged)
                            Log.WatchRefused(owner._logger, Kind, Log.Reason(e));
                        else
                            Log.WatchFailed(owner._logger, Kind, resourceVersion, Log.Reason(e));
                        owner._watchRefusalLogged = true;
                        yield break;
                    }
                    catch (Exception e) when (IsTransient(e, ct))
                    {
                        Log.WatchFailed(owner._logger, Kind, resourceVersion, Log.Reason(e));
                        yield break;
                    }
                    if (!more)
                        yield break;
                    WatchEvent<T> current = events.Current;
                    if (current.Type == WatchEventType.Error)
                    {
                        // 410 Gone / Expired inside the stream: the resume point is too old.
                        Gone = current.Status?.Code == (int)HttpStatusCode.Gone || current.Status?.Reason is "Expired" or "Gone";
                        yield break;
                    }
                    Progressed = true;
                    owner._watchRefusalLogged = false;
                    Interlocked.Increment(ref owner._watchEvents);
                    yield return current;
                }
            }
            finally
            {
                await events.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
