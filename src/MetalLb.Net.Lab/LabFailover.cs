using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Lab;

/// <summary>How `lab failover` takes the owner away.</summary>
public enum FailoverHow
{
    /// <summary>SIGKILL of the owner's speaker (no goodbye to gossip or BGP); the node itself keeps forwarding.</summary>
    Kill,

    /// <summary>SIGTERM, as the kubelet stops a pod: the speaker leaves gossip and closes its BGP sessions.</summary>
    Stop,

    /// <summary>The owner's link to the LAN goes down (a pulled cable: speaker and node both unreachable), and comes back after.</summary>
    Cut,
}

/// <summary>
/// `lab failover`: from the client namespace, an HTTP request to the Service IP every 10 ms;
/// after a second of normal traffic the owner (the node answering) is killed, stopped or cut,
/// and the requests go on until another node has answered 50 in a row. The outage is the
/// longest run of failed requests (from the first failure's send to the next success's send).
/// </summary>
public static class LabFailover
{
    /// <summary>Normal traffic before the owner is taken away (`lab failover`).</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public sealed record Probe(double SentMs, bool Ok, string? Node);

    public sealed record Result(string Service, string Ip, int Port, string Owner, FailoverHow How, double ActionMs,
        IReadOnlyList<Probe> Probes, string? NewOwner, double OutageMs, int Failed, double? SwitchMs);

    /// <summary>The first LoadBalancer Service with an IPv4 address, or <paramref name="wanted"/> (namespace/name).</summary>
    public static async Task<(string Name, string Ip, int Port)?> PickServiceAsync(KubeClient api, string? wanted, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        foreach (var s in (await api.Resource<Service>().ListAsync(null, null, ct)).Items
                     .Where(s => s.Spec.Type == ServiceSpec.LoadBalancerType)
                     .OrderBy(s => s.Metadata.Namespace, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            string name = $"{s.Metadata.Namespace}/{s.Metadata.Name}";
            if (wanted is not null && wanted != name && wanted != s.Metadata.Name)
                continue;
            string? ip = (s.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.IP).FirstOrDefault(i => i is not null && !i.Contains(':', StringComparison.Ordinal));
            int? port = s.Spec.Ports?.FirstOrDefault(p => (p.Protocol ?? "TCP") == "TCP")?.Port;
            if (ip is not null && port is not null)
                return (name, ip, port.Value);
        }
        return null;
    }

    public static async Task<Result> RunAsync(LabState state, string service, string ip, int port, FailoverHow how,
        Action<string> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(progress);
        return await MeasureAsync(state.ClientNamespace, service, ip, port, how, owner =>
        {
            var node = state.Nodes.FirstOrDefault(n => n.Name == owner) ?? throw new InvalidOperationException($"{ip} is answered by '{owner}', not a lab node");
            if (how == FailoverHow.Cut)
                return CutLink(state, owner, progress);
            Act(state, node, how, progress);
            return null;
        }, progress, Lead, ct);
    }

    /// <summary>
    /// The measurement itself, for any owner of <paramref name="ip"/> (MetalLB's speakers, or a
    /// reference such as keepalived): finds the node answering now, and after <paramref name="lead"/>
    /// of requests (`lab failover`: <see cref="Lead"/>) calls <paramref name="act"/> with its name. What act
    /// returns (if anything) runs when the measurement ends, also on failure: the cut link comes back.
    /// </summary>
    public static async Task<Result> MeasureAsync(string clientNamespace, string service, string ip, int port, FailoverHow how,
        Func<string, Action?> act, Action<string> progress, TimeSpan lead, CancellationToken ct)
    {
        double leadMs = lead.TotalMilliseconds;
        ArgumentNullException.ThrowIfNull(act);
        ArgumentNullException.ThrowIfNull(progress);
        using var client = new NamespaceSockets(clientNamespace);
        var target = new IPEndPoint(IPAddress.Parse(ip), port);
        // Start from what the network says now: the client asks ARP again, so the node it
        // reaches is the one that answers ARP for the IP (not one a stale entry points to).
        LabShell.Run("ip", "-n", clientNamespace, "neigh", "flush", "to", ip);
        string owner = await RequestAsync(client, target, ct) ?? throw new InvalidOperationException(
            $"{ip}:{port} does not answer from the client; is it announced? (`metallb-net lab status`)");
        progress($"{service} {ip}:{port} is answered by {owner}; sending a request every {Interval.TotalMilliseconds:0} ms from the client");

        var clock = Stopwatch.StartNew();
        var probes = new List<Task<Probe>>();
        double actionMs = -1;
        int otherInARow = 0;
        int checkedUpTo = 0;
        Action? undo = null;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (clock.Elapsed < Deadline + lead)
            {
                double sent = clock.Elapsed.TotalMilliseconds;
                probes.Add(ProbeAsync(client, target, sent, ct));
                if (actionMs < 0 && sent >= leadMs)
                {
                    actionMs = clock.Elapsed.TotalMilliseconds;
                    undo = act(owner);
                }
                // Finished probes, in send order: stop after 50 answers in a row from another node.
                while (checkedUpTo < probes.Count && probes[checkedUpTo].IsCompleted)
                {
                    var p = probes[checkedUpTo++].Result;
                    otherInARow = actionMs >= 0 && p.SentMs > actionMs && p.Ok && p.Node != owner ? otherInARow + 1 : 0;
                }
                if (otherInARow >= 50)
                    break;
                await timer.WaitForNextTickAsync(ct);
            }
        }
        finally
        {
            undo?.Invoke();
        }
        var all = (await Task.WhenAll(probes)).OrderBy(p => p.SentMs).ToList();
        return Summarise(service, ip, port, owner, how, actionMs, all);
    }

    /// <summary>Takes <paramref name="node"/>'s link to the LAN down (a pulled cable); the returned action puts it back.</summary>
    public static Action CutLink(LabState state, string node, Action<string> progress)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(progress);
        LabShell.Check("ip", "-n", state.LanNamespace, "link", "set", node, "down");
        progress($"cut {node}'s link to the LAN");
        return () =>
        {
            LabShell.Run("ip", "-n", state.LanNamespace, "link", "set", node, "up");
            progress($"{node}'s link is back up");
        };
    }

    private static void Act(LabState state, LabStateNode node, FailoverHow how, Action<string> progress)
    {
        var speaker = state.Processes.FirstOrDefault(p => p.Name == "speaker-" + node.Name);
        if (speaker is null || !ProcInfo.Signal(speaker.Pid, speaker.StartTime, how == FailoverHow.Kill ? ProcInfo.SigKill : ProcInfo.SigTerm))
            throw new InvalidOperationException($"{node.Name}'s speaker is not running; `lab status` shows the speakers");
        progress(how == FailoverHow.Kill
            ? $"kill -9 {speaker.Pid} ({node.Name}'s speaker); the lab restarts it after the kubelet's back-off ({LabRunner.RestartDelay.TotalSeconds:0} s the first time, doubling if it keeps exiting)"
            : $"kill -TERM {speaker.Pid} ({node.Name}'s speaker stops gracefully); the lab restarts it after the kubelet's back-off ({LabRunner.RestartDelay.TotalSeconds:0} s the first time, doubling if it keeps exiting)");
    }

    private static Result Summarise(string service, string ip, int port, string owner, FailoverHow how, double actionMs, List<Probe> all)
    {
        var after = all.Where(p => p.SentMs >= actionMs).ToList();
        double outage = 0;
        int failed = after.Count(p => !p.Ok);
        for (int i = 0; i < after.Count; i++)
        {
            if (after[i].Ok)
                continue;
            int j = i;
            while (j < after.Count && !after[j].Ok)
                j++;
            double end = j < after.Count ? after[j].SentMs : after[^1].SentMs + Interval.TotalMilliseconds;
            outage = Math.Max(outage, end - after[i].SentMs);
            i = j;
        }
        // The switch: the start of the final run of answers from another node.
        int k = after.Count;
        while (k > 0 && after[k - 1].Ok && after[k - 1].Node != owner)
            k--;
        string? newOwner = k < after.Count ? after[^1].Node : null;
        double? switchMs = k < after.Count ? after[k].SentMs - actionMs : null;
        return new Result(service, ip, port, owner, how, actionMs, all, newOwner, outage, failed, switchMs);
    }

    public static string Describe(Result r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var sb = new StringBuilder();
        string action = r.How switch
        {
            FailoverHow.Kill => $"{r.Owner}'s speaker killed (SIGKILL)",
            FailoverHow.Stop => $"{r.Owner}'s speaker stopped (SIGTERM)",
            _ => $"{r.Owner}'s link cut",
        };
        int sent = r.Probes.Count(p => p.SentMs >= r.ActionMs);
        sb.Append(CultureInfo.InvariantCulture, $"{r.Service} {r.Ip}:{r.Port}: {action}.\n");
        sb.Append(CultureInfo.InvariantCulture, $"  requests after it: {sent} sent every {Interval.TotalMilliseconds:0} ms, {r.Failed} failed\n");
        sb.Append(CultureInfo.InvariantCulture, $"  client outage:     {r.OutageMs:0} ms (longest run of failed requests)\n");
        sb.Append(r.NewOwner is null
            ? $"  no failover within {Deadline.TotalSeconds:0} s: still answered by {r.Probes.LastOrDefault(p => p.Ok)?.Node ?? "nobody"}\n"
            : string.Create(CultureInfo.InvariantCulture, $"  now answered by:   {r.NewOwner}, from {r.SwitchMs:0} ms after the {r.How.ToString().ToLowerInvariant()}\n"));
        return sb.ToString();
    }

    private static async Task<Probe> ProbeAsync(NamespaceSockets client, IPEndPoint target, double sentMs, CancellationToken ct)
    {
        string? node = await RequestAsync(client, target, ct);
        return new Probe(sentMs, node is not null, node);
    }

    /// <summary>One HTTP GET over a new connection made in the client's namespace: the answering node's name, or null.</summary>
    public static Task<string?> RequestAsync(NamespaceSockets client, IPEndPoint target, CancellationToken ct) =>
        LabHttp.GetNodeAsync(client, target, RequestTimeout, ct);
}
