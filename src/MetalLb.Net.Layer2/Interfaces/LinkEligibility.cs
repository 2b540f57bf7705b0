using System.Text.RegularExpressions;

namespace MetalLb.Net.Layer2.Interfaces;

/// <summary>
/// Pure: which links may answer, as upstream's speaker decides on each rescan
/// (docs/upstream-behaviour.md#layer2-links): up, not enslaved to a bond or bridge (the master answers
/// instead, with its own MAC), not NOARP, and not matched by the exclude list.
/// </summary>
public static class LinkEligibility
{
    /// <summary>
    /// Upstream's default <c>metallb-excludel2</c> ConfigMap: container, CNI and virtual links
    /// whose neighbours are pods or the host itself, never the LAN a LoadBalancer IP lives on.
    /// </summary>
    public static IReadOnlyList<string> DefaultExcludePatterns { get; } =
    [
        "^docker.*", "^cbr.*", "^dummy.*", "^virbr.*", "^lxcbr.*", "^veth.*", "^lo$", "^cali.*",
        "^tunl.*", "^flannel.*", "^kube-ipvs.*", "^cni.*", "^nodelocaldns.*",
    ];

    public static LinkVerdict Evaluate(LinkInfo link, IReadOnlyList<Regex> exclude)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(exclude);
        if (!link.IsUp)
            return LinkVerdict.Down;
        if (link.MasterIndex != 0)
            return LinkVerdict.Enslaved;
        if (link.IsNoArp || link.IsLoopback)
            return LinkVerdict.NoArp;
        foreach (var pattern in exclude)
        {
            if (pattern.IsMatch(link.Name))
                return LinkVerdict.Excluded;
        }
        return LinkVerdict.Eligible;
    }

    /// <summary>ARP needs a broadcast link (upstream's rule); NDP needs IPv6 on it, shown by a link-local address.</summary>
    public static bool WantsArp(LinkInfo link) => link.IsBroadcast;

    public static bool WantsNdp(LinkInfo link) => link.HasIpv6LinkLocal;

    public static IReadOnlyList<Regex> Compile(IEnumerable<string> patterns) =>
        [.. patterns.Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))];
}
