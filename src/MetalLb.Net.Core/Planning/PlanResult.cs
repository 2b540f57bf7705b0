using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Planning;

/// <summary>The whole offline plan (docs/plan.md, "JSON").</summary>
public sealed record PlanResult(bool Valid, IReadOnlyList<ConfigError> Errors, IReadOnlyList<ServicePlan> Services);

/// <summary>
/// One LoadBalancer Service: its IPs and pool (or why none), who announces each IP over L2,
/// and which nodes send which prefix to which BGP peer. <see cref="NotAnnounced"/> says in one
/// line why an allocated service is not announced (empty when it is, or when nothing could be
/// planned because the configuration is invalid).
/// </summary>
public sealed record ServicePlan(
    string Namespace,
    string Name,
    IReadOnlyList<string> IPs,
    string? Pool,
    string? Error,
    IReadOnlyList<L2Entry> L2,
    IReadOnlyList<BgpEntry> Bgp,
    IReadOnlyList<string> NotAnnounced);

public sealed record L2Entry(string Ip, string Node);

public sealed record BgpEntry(string Node, string Peer, string Prefix, uint LocalPref, IReadOnlyList<string> Communities);
