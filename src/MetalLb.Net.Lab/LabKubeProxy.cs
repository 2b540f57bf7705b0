using System.Globalization;
using System.Net;
using System.Text;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Lab;

/// <summary>
/// The lab's stand-in for kube-proxy and the endpoint controller. For every LoadBalancer
/// Service it writes an EndpointSlice with one ready endpoint per node (the <see cref="NodeBackend"/>
/// there), and in every node a DNAT rule sending the Service's IPs and ports to that node's
/// backend. As with kube-proxy's strictARP, the IP is never put on an interface, so the node's
/// kernel never answers ARP/NDP for it: only the speaker does.
/// </summary>
public sealed class LabKubeProxy(KubeClient api, IReadOnlyList<LabNode> nodes, Action<string> log)
{
    private const string Table = "metallb_lab_proxy";
    private string _applied = "";
    private readonly HashSet<string> _slices = [];

    /// <summary>
    /// Watches the Services (the project's informer, not a re-list on a timer) and brings the
    /// slices and rules up to date after every change, until cancelled. A sync that fails is
    /// tried again a second later.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var services = new Informer<Service>(api.Resource<Service>());
        using var changed = new SemaphoreSlim(0);
        using var handler = services.AddHandler(_ => Wake(changed));
        var watching = services.RunAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await changed.WaitAsync(ct);
                await SyncAsync(services.Cache.List(), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or InvalidOperationException)
            {
                log($"kube-proxy stand-in: {e.Message}; trying again in 1 s");
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                Wake(changed);
            }
        }
        await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static void Wake(SemaphoreSlim changed)
    {
        if (changed.CurrentCount == 0)
            changed.Release();
    }

    private async Task SyncAsync(IEnumerable<Service> all, CancellationToken ct)
    {
        var services = all.Where(s => s.Spec.Type == ServiceSpec.LoadBalancerType).ToList();
        foreach (var s in services)
        {
            string key = $"{s.Metadata.Namespace}/{s.Metadata.Name}";
            if (_slices.Add(key))
                await WriteSliceAsync(s, ct);
        }
        // A deleted Service's slice goes with it (a real cluster garbage-collects it by owner).
        foreach (string gone in _slices.Except(services.Select(s => $"{s.Metadata.Namespace}/{s.Metadata.Name}")).ToList())
        {
            string[] nn = gone.Split('/');
            await api.Resource<EndpointSlice>().DeleteAsync(nn[0], nn[1] + "-lab", null, ct);
            _slices.Remove(gone);
        }
        var rules = new StringBuilder();
        foreach (var s in services)
            foreach (var ingress in s.Status?.LoadBalancer?.Ingress ?? [])
                foreach (var port in s.Spec.Ports ?? [])
                    if (ingress.IP is { } ip && IPAddress.TryParse(ip, out var addr))
                        rules.Append(CultureInfo.InvariantCulture, $"{Rule(addr, port)}\n");
        string text = rules.ToString();
        if (text == _applied)
            return;
        foreach (var n in nodes)
            Nftables.Apply(n.Namespace, Script(text, n));
        _applied = text;
        log($"kube-proxy stand-in: {text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} service port(s) forwarded to the nodes' backends");
    }

    private static string Rule(IPAddress ip, ServicePort port)
    {
        string proto = (port.Protocol ?? "TCP").ToLowerInvariant();
        string family = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ip6" : "ip";
        return string.Create(CultureInfo.InvariantCulture, $"{family} daddr {ip} {proto} dport {port.Port} dnat {family} to @{family}@:{NodeBackend.Port}");
    }

    private static string Script(string rules, LabNode node)
    {
        string body = rules.Replace("@ip@", node.IPv4, StringComparison.Ordinal).Replace("@ip6@", $"[{node.IPv6}]", StringComparison.Ordinal);
        // Declaring then deleting the table makes the replacement one atomic transaction.
        return $$"""
            table inet {{Table}}
            delete table inet {{Table}}
            table inet {{Table}} {
              chain prerouting {
                type nat hook prerouting priority dstnat; policy accept;
            {{body}}  }
            }
            """;
    }

    private async Task WriteSliceAsync(Service s, CancellationToken ct)
    {
        var slice = new EndpointSlice
        {
            Metadata = new ObjectMeta
            {
                Name = s.Metadata.Name + "-lab",
                Namespace = s.Metadata.Namespace,
                Labels = new Dictionary<string, string> { [EndpointSlice.ServiceNameLabel] = s.Metadata.Name! },
            },
            AddressType = "IPv4",
            Endpoints = [.. nodes.Select(n => new Endpoint
            {
                Addresses = [n.IPv4],
                NodeName = n.Name,
                Conditions = new EndpointConditions { Ready = true, Serving = true, Terminating = false },
            })],
            Ports = [.. (s.Spec.Ports ?? []).Select(p => new EndpointPort { Name = p.Name, Port = NodeBackend.Port, Protocol = p.Protocol ?? "TCP" })],
        };
        try
        {
            await api.Resource<EndpointSlice>().CreateAsync(slice, ct);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Already there (a restart of the loop).
        }
    }
}
