using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Controller.Reconcile;

/// <summary>
/// What the controller takes from the configuration: the pools, checked together with the
/// Communities and resolved against Namespace labels, as upstream's pool reconciler does. The
/// controller never reads peers or advertisements, so a broken peer does not stop allocation.
/// </summary>
public static class ConfigLoader
{
    public sealed record Loaded(IReadOnlyList<Pool>? Pools, IReadOnlyList<ConfigError> Errors)
    {
        /// <summary>Invalid: keep the last valid pools and report these errors.</summary>
        public bool IsValid => Pools is not null;
    }

    public static Loaded Load(IReadOnlyList<IPAddressPool> pools, IReadOnlyList<Community> communities,
        IReadOnlyList<Namespace> namespaces, BgpMode mode)
    {
        var result = ConfigParser.Parse(new ConfigInput
        {
            Pools = pools,
            Communities = communities,
            Namespaces = namespaces,
            Mode = mode,
        });
        // Core hands out the pools whenever the pools and communities are valid.
        return new Loaded(result.Pools, result.Errors);
    }
}
