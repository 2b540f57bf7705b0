namespace MetalLb.Net.Core.Config;

/// <summary>
/// The outcome of parsing: the pools (usable for allocation whenever the pools and communities
/// are valid, as upstream's controller only parses those), the whole configuration (only when
/// everything is valid, as a speaker needs), and every error found.
/// </summary>
public sealed record ConfigResult(
    IReadOnlyList<Pool>? Pools,
    MetalLbConfig? Config,
    IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Config is not null && Errors.Count == 0;
}
