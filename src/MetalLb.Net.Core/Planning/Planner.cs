using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Planning;

/// <summary>
/// The one entry point `metallb-net plan` uses: objects in, what the controller and the
/// speakers would do out (docs/plan.md). Every decision is delegated to the
/// same Config, Allocation and Announcement code the daemons run.
/// </summary>
public static partial class Planner
{
    public static PlanResult Plan(PlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var objects = input.Objects;
        var configResult = ConfigParser.Parse(ToConfigInput(input));
        var services = objects.OfType<Service>().Where(s => s.Spec.Type == ServiceSpec.LoadBalancerType).ToList();
        var nodes = objects.OfType<Node>().ToList();
        // Every Node runs a healthy speaker (docs/plan.md, "What the plan assumes"): memberlist off, each
        // speaker deciding on the whole configuration. A live speaker parses only the peers and
        // BGP ads selecting its node (NodeConfigFilter); for a valid whole configuration that
        // gives every node the same decisions, and plan announces nothing for an invalid one.
        var scopes = configResult.Config is { } valid
            ? nodes.Select(n => n.Metadata.Name ?? "").Distinct().Order(StringComparer.Ordinal)
                .Select(name => new SpeakerScope(name, valid, nodes, LiveSpeakers: null, IgnoreExcludeLabel: false)).ToList()
            : [];
        // Index EndpointSlices by their service once: a plan of 10,000 services must not scan
        // every slice for every service.
        var slices = objects.OfType<EndpointSlice>()
            .ToLookup(e => (e.Metadata.Namespace ?? "default", e.Metadata.Labels?.GetValueOrDefault(EndpointSlice.ServiceNameLabel) ?? ""));

        var outcomes = Allocate(configResult.Pools, services, input.LoadBalancerClass);
        var plans = new List<ServicePlan>(services.Count);
        foreach (var service in services)
        {
            var outcome = outcomes[service];
            var announced = configResult.Config is { } config && outcome.HasIPs
                ? Announce(config, scopes, nodes, service, outcome, slices[(service.Metadata.Namespace ?? "default", service.Metadata.Name ?? "")].ToList())
                : (L2: [], Bgp: [], Why: NoAnnouncementReason(configResult, outcome));
            plans.Add(new ServicePlan(
                service.Metadata.Namespace ?? "default",
                service.Metadata.Name ?? "",
                outcome.IPs.Select(ip => ip.ToString()).ToList(),
                outcome.Pool,
                outcome.HasIPs ? null : outcome.Error?.Message,
                announced.L2,
                announced.Bgp,
                announced.Why));
        }
        return new PlanResult(configResult.IsValid, configResult.Errors, plans);
    }

    /// <summary>
    /// The controller after a restart (docs/plan.md, "What the plan assumes"): services that already hold
    /// IPs first, more ingress entries first, so they keep them; then the rest in input order.
    /// </summary>
    private static Dictionary<Service, ServiceOutcome> Allocate(IReadOnlyList<Pool>? pools, IReadOnlyList<Service> services, string? lbClass)
    {
        var allocator = new Allocator();
        allocator.SetPools(pools ?? []);
        var ordered = services
            .Select((s, i) => (Service: s, Index: i, Held: s.Status?.LoadBalancer?.Ingress?.Count(e => !string.IsNullOrEmpty(e.IP)) ?? 0))
            .OrderByDescending(x => x.Held).ThenBy(x => x.Index);
        var outcomes = new Dictionary<Service, ServiceOutcome>(ReferenceEqualityComparer.Instance);
        foreach (var (service, _, _) in ordered)
        {
            if (pools is null)
            {
                outcomes[service] = new([], null, new(PendingReason.NoPoolsConfigured,
                    "the IPAddressPools or Communities are invalid, so nothing is allocated (see errors)"), []);
                continue;
            }
            outcomes[service] = ServiceConverger.Converge(allocator, OfflineDefaults.WithClusterIPs(service), lbClass);
        }
        return outcomes;
    }

    private static IReadOnlyList<string> NoAnnouncementReason(ConfigResult config, ServiceOutcome outcome) =>
        outcome.HasIPs && config.Config is null
            ? ["not announced: the configuration is invalid, so speakers keep their last valid one (see errors)"]
            : [];

    private static ConfigInput ToConfigInput(PlanInput input)
    {
        var ours = input.Objects.Where(o => o is Node or Namespace || o.Metadata.Namespace == input.Namespace).ToList();
        return new ConfigInput
        {
            Pools = ours.OfType<IPAddressPool>().ToList(),
            Communities = ours.OfType<Community>().ToList(),
            L2Advertisements = ours.OfType<L2Advertisement>().ToList(),
            BgpAdvertisements = ours.OfType<BGPAdvertisement>().ToList(),
            Peers = ours.OfType<BGPPeer>().Concat(ours.OfType<BGPPeerV1Beta1>().Select(p => p.ToV1Beta2())).ToList(),
            BfdProfiles = ours.OfType<BFDProfile>().ToList(),
            Secrets = ours.OfType<Secret>().ToList(),
            Nodes = ours.OfType<Node>().ToList(),
            Namespaces = ours.OfType<Namespace>().ToList(),
            Mode = input.Mode,
        };
    }
}
