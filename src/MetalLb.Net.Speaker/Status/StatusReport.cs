namespace MetalLb.Net.Speaker.Status;

/// <summary>
/// What one reconcile pass wants the API to show for this node: the Services it answers ARP/NDP
/// for (with the interfaces, null = all), the Services it announces by BGP (with the peers that
/// get them), and the configuration's verdict. The writer converges the API towards the latest.
/// </summary>
internal sealed record StatusReport(
    IReadOnlyDictionary<ServiceKey, IReadOnlyList<string>?> Layer2,
    IReadOnlyDictionary<ServiceKey, IReadOnlyList<string>> Bgp,
    ConfigVerdict Config);

internal readonly record struct ServiceKey(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}

/// <summary>Valid or not, every error, and every BGPPeer feature this speaker cannot run (warnings).</summary>
internal sealed record ConfigVerdict(bool Valid, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public static readonly ConfigVerdict Pending = new(false, ["no configuration loaded yet"], []);

    public bool SameAs(ConfigVerdict? other) =>
        other is not null && Valid == other.Valid && Errors.SequenceEqual(other.Errors) && Warnings.SequenceEqual(other.Warnings);
}
