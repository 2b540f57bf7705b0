using System.Globalization;
using System.Text;
using System.Text.Json;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Lab;

/// <summary>
/// What `lab status` shows: the nodes and their speakers, and every LoadBalancer Service with
/// its IPs, pool, and who answers for it: the L2 owner (the speaker's ServiceL2Status), the BGP
/// next hops the router installed, or why it is pending (the controller's last warning Event).
/// </summary>
public static class LabView
{
    /// <summary>
    /// The pods the node agent runs for the chart (as `kubectl get pods -n metallb-system`
    /// with READY and RESTARTS), so a container in back-off shows here.
    /// </summary>
    private static async Task PodsAsync(StringBuilder sb, KubeClient api, CancellationToken ct)
    {
        List<string[]> rows = [["POD", "NODE", "READY", "STATUS", "RESTARTS"]];
        foreach (var item in (await api.Generic(LabObjects.Pods).ListAsync(LabObjects.MetalLbNamespace, null, ct)).Items
                     .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var pod = System.Text.Json.Nodes.JsonNode.Parse(item.ToJson());
            var container = pod?["status"]?["containerStatuses"]?[0];
            string status = container?["state"]?["waiting"]?["reason"]?.GetValue<string>()
                ?? pod?["status"]?["phase"]?.GetValue<string>() ?? "Pending";
            rows.Add([item.Metadata.Name ?? "", pod?["spec"]?["nodeName"]?.GetValue<string>() ?? "-",
                container?["ready"]?.GetValue<bool>() == true ? "1/1" : "0/1", status,
                (container?["restartCount"]?.GetValue<int>() ?? 0).ToString(CultureInfo.InvariantCulture)]);
        }
        Table(sb, rows);
    }

    public static async Task<string> RenderAsync(LabState state, KubeClient api, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(api);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"lab '{state.Name}' ({state.Phase}): {state.Nodes.Count} nodes, mode {state.Mode.ToString().ToLowerInvariant()}, API https://127.0.0.1:{state.ApiPort}\n");
        sb.Append(CultureInfo.InvariantCulture, $"kubeconfig: {string.Join(", ", state.Kubeconfigs)}\n\n");
        List<string[]> rows = [["NODE", "IP", "SPEAKER"]];
        foreach (var n in state.Nodes)
        {
            var p = state.Processes.FirstOrDefault(x => x.Name == "speaker-" + n.Name);
            string speaker = p is not null && ProcInfo.IsAlive(p.Pid, p.StartTime) ? $"running (pid {p.Pid})" : "not running";
            rows.Add([n.Name, n.IPv4, speaker]);
        }
        Table(sb, rows);
        sb.Append('\n');
        if (state.Install == LabInstall.Helm)
        {
            await PodsAsync(sb, api, ct);
            sb.Append('\n');
        }

        var services = (await api.Resource<Service>().ListAsync(null, null, ct)).Items
            .Where(s => s.Spec.Type == ServiceSpec.LoadBalancerType)
            .OrderBy(s => s.Metadata.Namespace, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal).ToList();
        if (services.Count == 0)
        {
            sb.Append("No LoadBalancer Services yet. Try:\n");
            sb.Append(CultureInfo.InvariantCulture, $"  kubectl --kubeconfig {state.Kubeconfigs.FirstOrDefault()} create service loadbalancer web --tcp=80\n");
            return sb.ToString();
        }
        var l2 = (await api.Resource<ServiceL2Status>().ListAsync(LabObjects.MetalLbNamespace, null, ct)).Items;
        var events = (await api.Resource<Event>().ListAsync(null, null, ct)).Items;
        rows = [["SERVICE", "IP", "POOL", "ANSWERED BY"]];
        foreach (var s in services)
        {
            string name = $"{s.Metadata.Namespace}/{s.Metadata.Name}";
            var ips = (s.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.IP).OfType<string>().ToList();
            string pool = s.Metadata.Annotations?.GetValueOrDefault("metallb.io/ip-allocated-from-pool") ?? "-";
            if (ips.Count == 0)
            {
                rows.Add([name, "<pending>", "-", Pending(s, events)]);
                continue;
            }
            foreach (string ip in ips)
                rows.Add([name, ip, pool, AnsweredBy(state, s, ip, l2)]);
        }
        Table(sb, rows);
        return sb.ToString();
    }

    private static string Pending(Service s, IReadOnlyList<Event> events)
    {
        var last = events.Where(e => e.InvolvedObject.Name == s.Metadata.Name && e.InvolvedObject.Namespace == s.Metadata.Namespace && e.Type == "Warning")
            .OrderBy(e => e.LastTimestamp ?? e.FirstTimestamp).LastOrDefault();
        return last is null ? "no IP yet (no warning from the controller)" : $"{last.Reason}: {last.Message}";
    }

    private static string AnsweredBy(LabState state, Service s, string ip, IReadOnlyList<ServiceL2Status> l2)
    {
        var owners = l2.Where(x => x.Status?.ServiceName == s.Metadata.Name && x.Status?.ServiceNamespace == s.Metadata.Namespace)
            .Select(x => x.Status!.Node).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var hops = state.RouterNamespace.Length > 0 && state.Mode != LabMode.L2 ? RouterNextHops(state, ip) : [];
        var parts = new List<string>();
        if (owners.Count > 0)
            parts.Add($"{string.Join(", ", owners)} (L2: answers ARP/NDP)");
        if (hops.Count > 0)
            parts.Add($"{string.Join(", ", hops)} (BGP next hops at the router)");
        if (parts.Count == 0 && state.Mode != LabMode.L2 && !Environment.IsPrivilegedProcess)
            return "no L2 owner; run as root to see the router's BGP next hops";
        return parts.Count > 0 ? string.Join("; ", parts) : "nobody announces it yet";
    }

    /// <summary>The nodes the router's kernel route for <paramref name="ip"/> goes to (`ip -j route show IP`).</summary>
    public static IReadOnlyList<string> RouterNextHops(LabState state, string ip)
    {
        ArgumentNullException.ThrowIfNull(state);
        string family = ip.Contains(':', StringComparison.Ordinal) ? "-6" : "-4";
        var r = LabShell.Run("ip", "-n", state.RouterNamespace, family, "-j", "route", "show", "exact", ip);
        if (r.ExitCode != 0 || r.Stdout.Trim().Length == 0)
            return [];
        var hops = new List<string>();
        using var doc = JsonDocument.Parse(r.Stdout);
        foreach (var route in doc.RootElement.EnumerateArray())
        {
            if (route.TryGetProperty("gateway", out var gw))
                hops.Add(gw.GetString()!);
            if (route.TryGetProperty("nexthops", out var nhs))
                hops.AddRange(nhs.EnumerateArray().Where(n => n.TryGetProperty("gateway", out _)).Select(n => n.GetProperty("gateway").GetString()!));
        }
        return [.. hops.Select(h => state.Nodes.FirstOrDefault(n => n.IPv4 == h || n.IPv6 == h)?.Name ?? h).Order(StringComparer.Ordinal)];
    }

    private static void Table(StringBuilder sb, List<string[]> rows)
    {
        int[] widths = [.. Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length))];
        foreach (var r in rows)
            sb.Append(string.Join("  ", r.Select((cell, c) => c == r.Length - 1 ? cell : cell.PadRight(widths[c])))).Append('\n');
    }
}
