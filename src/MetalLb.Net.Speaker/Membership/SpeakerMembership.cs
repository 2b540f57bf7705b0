using System.Net;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Gossip.Swim;
using MetalLb.Net.Gossip.Transport;
using MetalLb.Net.Gossip.Wire;
using MetalLb.Net.Kube.Informers;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Speaker.Membership;

/// <summary>
/// Which speakers are alive, for the Layer 2 election (docs/upstream-speaker.md §5): one memberlist member per
/// node, named after it, joined to the speaker Pods the --ml-labels selector lists. The Pod
/// informer replaces upstream's 5-minute relist: a new speaker Pod is joined as soon as it has
/// an IP; a join is retried every <see cref="RejoinInterval"/> while some listed speaker is not a
/// member. Disabled (no bind address or labels) it reports null: every node counts, as upstream.
/// <para>
/// A speaker that has never managed to join another member while other speaker Pods run (a
/// wrong key, a firewall) announces nothing by Layer 2: alone, it would elect itself for every
/// IP and answer beside the real owner. Upstream has that failure; we withhold instead.
/// </para>
/// </summary>
public sealed partial class SpeakerMembership : IAsyncDisposable
{
    public static readonly TimeSpan RejoinInterval = TimeSpan.FromSeconds(10);

    private readonly SpeakerOptions _options;
    private readonly Informer<Pod> _pods;
    private readonly PodSelector _selector;
    private readonly Action _changed;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private GossipMember? _member;
    private Task _joinLoop = Task.CompletedTask;
    private readonly SemaphoreSlim _joinSignal = new(0);
    private volatile bool _joined;
    private int _left;

    public SpeakerMembership(SpeakerOptions options, Informer<Pod> pods, Action changed, ILogger log, TimeProvider? time = null)
    {
        _options = options;
        _pods = pods;
        _selector = PodSelector.Parse(options.MemberlistLabels ?? "");
        _changed = changed;
        _log = log;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The gossip member (null until started, or when memberlist is disabled).</summary>
    public GossipMember? Member => _member;

    /// <summary>True once this speaker has joined at least one other member (or has no other speaker to join).</summary>
    public bool Joined => _joined;

    /// <summary>Starts gossip and the join loop. Throws if the bind address or key file is unusable.</summary>
    public void Start()
    {
        var address = IPAddress.Parse(_options.MemberlistBindAddress!);
        var advertise = new IPEndPoint(address, _options.MemberlistBindPort);
        // The fast profile holds up to MemberlistOptions.FastProfileMaxMembers (measured); above it
        // its timers stretch with the cluster's size. The size is the speaker Pods listed now.
        int expected = Math.Max(1, _pods.Cache.List().Count(p => _selector.Matches(p.Metadata.Labels)));
        var options = _options.MemberlistProfile == MemberlistProfile.Lan
            ? MemberlistOptions.Lan(_options.NodeName, advertise)
            : MemberlistOptions.ForClusterSize(_options.NodeName, advertise, expected);
        // The key file, or the folder the Secret is mounted at (upstream's manifests pass the folder
        // and upstream reads its "secretkey"), or the key itself in METALLB_ML_SECRET_KEY as older
        // upstream manifests pass it.
        string? secret = _options.MemberlistSecretKeyPath is { Length: > 0 } path
            ? File.ReadAllText(Directory.Exists(path) ? Path.Combine(path, "secretkey") : path).Trim()
            : Environment.GetEnvironmentVariable("METALLB_ML_SECRET_KEY") is { Length: > 0 } key ? key : null;
        if (secret is not null)
        {
            options = options with { Keyring = new Keyring(SecretKey.FromMetalLbSecret(secret)) };
        }
        else
        {
            LogUnencrypted();
        }
        _member = GossipMember.Start(options, _time, OnMemberEvent, _log);
        LogStarted(_member.LocalEndPoint.ToString(), _options.MemberlistProfile.ToString().ToLowerInvariant(), _selector.Text,
            expected, (int)options.ProbeInterval.TotalMilliseconds);
        _pods.AddHandler(_ => _joinSignal.Release());
        _joinLoop = Task.Run(JoinLoopAsync);
    }

    /// <summary>
    /// Names of the live speakers (alive or suspected, ourselves included). Null when memberlist
    /// is disabled. Empty while we have not joined though other speakers run (see the class notes).
    /// </summary>
    public IReadOnlySet<string>? LiveSpeakers()
    {
        if (_member is null)
            return null;
        if (!_joined && OtherSpeakers().Count > 0)
            return new HashSet<string>();
        return _member.Members.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Tells the others we leave, so they take our IPs over at once, and stops gossip.</summary>
    public async Task LeaveAsync(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _left, 1) == 1 || _member is null)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _member.LeaveAsync(timeout).ConfigureAwait(false);
        LogLeft();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _joinLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        if (_member is not null && Interlocked.Exchange(ref _left, 1) == 0)
            await _member.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _joinSignal.Dispose();
    }

    /// <summary>The other speaker Pods' gossip addresses (hostNetwork: the pod IP is the node's).</summary>
    private List<IPEndPoint> OtherSpeakers()
    {
        var self = _member?.LocalEndPoint.Address;
        var result = new List<IPEndPoint>();
        foreach (var pod in _pods.Cache.List())
        {
            if (!_selector.Matches(pod.Metadata.Labels) || pod.Status?.Phase is "Succeeded" or "Failed")
                continue;
            if (pod.Spec?.NodeName == _options.NodeName)
                continue;
            if (!IPAddress.TryParse(pod.Status?.PodIP, out var ip) || ip.Equals(self))
                continue;
            result.Add(new IPEndPoint(ip, _options.MemberlistBindPort));
        }
        return result;
    }

    private async Task JoinLoopAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            var members = _member!.Members.Select(m => m.Address).ToHashSet();
            var missing = OtherSpeakers().Where(e => !members.Contains(e)).ToList();
            if (missing.Count > 0)
            {
                int joined = 0;
                try
                {
                    joined = await _member.JoinAsync(missing, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogJoinFailed(missing.Count, e.Message);
                }
                if (joined > 0)
                    MarkJoined();
                else
                    LogJoinFailed(missing.Count, "no speaker answered (not up yet, or a different memberlist key)");
            }
            else if (!_joined)
            {
                MarkJoined();   // nobody else to join: alone is the truth
            }
            // Wake on a speaker Pod change or after the rejoin interval.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(RejoinInterval);
            try
            {
                await _joinSignal.WaitAsync(wait.Token).ConfigureAwait(false);
                while (_joinSignal.CurrentCount > 0)
                    await _joinSignal.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // The rejoin interval passed.
            }
        }
    }

    private void MarkJoined()
    {
        if (_joined)
            return;
        _joined = true;
        _changed();
    }

    private void OnMemberEvent(MemberEvent e)
    {
        // Someone else joined us: we are in the group even if our own join attempts failed.
        // (GossipMember logs every member event itself.)
        if (e.Member.Name != _options.NodeName && e.Kind == MemberEventKind.Join)
            _joined = true;
        _changed();
    }

    [LoggerMessage(3001, LogLevel.Information, "memberlist on {Address} ({Profile} profile for {Speakers} speakers: probes every {ProbeMs} ms), joining the speaker Pods selected by {Labels}")]
    private partial void LogStarted(string address, string profile, string labels, int speakers, int probeMs);

    [LoggerMessage(3002, LogLevel.Warning, "no memberlist secret key (--ml-secret-key-path): gossip is not encrypted")]
    private partial void LogUnencrypted();

    [LoggerMessage(3004, LogLevel.Warning, "joining {Count} speakers failed: {Reason}")]
    private partial void LogJoinFailed(int count, string reason);

    [LoggerMessage(3005, LogLevel.Information, "left the memberlist group")]
    private partial void LogLeft();
}
