using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Lab;

/// <summary>A Service `lab soak` or `lab partition` sends to: its IPv4 address and port, and whether L2 or BGP announces it.</summary>
public sealed record LabSoakTarget(string Namespace, string Name, string Ip, int Port, bool Bgp, bool Created)
{
    public string Label => $"{(Bgp ? "BGP" : "L2")} {Namespace}/{Name} {Ip}";
}

/// <summary>
/// Finds the lab's test Services (the first LoadBalancer Service with an IPv4 address from the
/// L2 pool, and one from the BGP pool when the lab has a router), and creates the missing ones
/// ("soak-l2", "soak-bgp" in default) so the verbs work on a fresh lab.
/// </summary>
public static class LabSoakTargets
{
    public const string PoolAnnotation = "metallb.io/ip-allocated-from-pool";
    public const string L2Pool = "lab-l2", BgpPool = "lab-bgp";

    public static async Task<IReadOnlyList<LabSoakTarget>> EnsureAsync(KubeClient api, LabState state, bool wantBgp, Action<string> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(progress);
        var pools = new List<string>();
        if (state.Mode != LabMode.Bgp)
            pools.Add(L2Pool);
        if (wantBgp && state.Mode != LabMode.L2)
            pools.Add(BgpPool);
        var targets = new List<LabSoakTarget>();
        foreach (string pool in pools)
        {
            var found = Find(await ListAsync(api, ct), pool, created: false);
            if (found is null)
            {
                string name = pool == L2Pool ? "soak-l2" : "soak-bgp";
                progress($"no Service from pool {pool} yet: creating default/{name}");
                await api.Resource<Service>().CreateAsync(new Service
                {
                    Metadata = new ObjectMeta
                    {
                        Name = name, Namespace = "default",
                        Annotations = new Dictionary<string, string> { ["metallb.io/address-pool"] = pool },
                    },
                    Spec = new ServiceSpec
                    {
                        Type = ServiceSpec.LoadBalancerType,
                        Selector = new Dictionary<string, string> { ["app"] = name },
                        Ports = [new ServicePort { Port = 80, Protocol = "TCP" }],
                    },
                }, ct);
                var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while ((found = Find(await ListAsync(api, ct), pool, created: true)) is null)
                {
                    if (DateTime.UtcNow > until)
                        throw new InvalidOperationException($"default/{name} got no address from {pool} within 60 s; `metallb-net lab status --name {state.Name}` says why");
                    await Task.Delay(200, ct);   // polling the API for the controller's allocation
                }
            }
            targets.Add(found);
        }
        return targets;
    }

    /// <summary>Deletes the Services <see cref="EnsureAsync"/> created.</summary>
    public static async Task DeleteCreatedAsync(KubeClient api, IEnumerable<LabSoakTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(targets);
        foreach (var t in targets.Where(t => t.Created))
        {
            try
            {
                await api.Resource<Service>().DeleteAsync(t.Namespace, t.Name);
            }
            catch (KubeApiException)
            {
                // already gone
            }
        }
    }

    private static async Task<IReadOnlyList<Service>> ListAsync(KubeClient api, CancellationToken ct) =>
        (await api.Resource<Service>().ListAsync(null, null, ct)).Items;

    private static LabSoakTarget? Find(IReadOnlyList<Service> services, string pool, bool created) => services
        .Where(s => s.Spec.Type == ServiceSpec.LoadBalancerType && s.Metadata.Annotations?.GetValueOrDefault(PoolAnnotation) == pool)
        .OrderBy(s => s.Metadata.Namespace, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal)
        .Select(s => (s, ip: (s.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.IP).FirstOrDefault(i => i is not null && !i.Contains(':', StringComparison.Ordinal)),
            port: s.Spec.Ports?.FirstOrDefault(p => (p.Protocol ?? "TCP") == "TCP")?.Port))
        .Where(x => x.ip is not null && x.port is not null)
        .Select(x => new LabSoakTarget(x.s.Metadata.Namespace!, x.s.Metadata.Name!, x.ip!, x.port!.Value, pool == BgpPool,
            created && x.s.Metadata.Name is "soak-l2" or "soak-bgp"))
        .FirstOrDefault();
}
