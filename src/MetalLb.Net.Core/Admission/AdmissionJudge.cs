using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Conversion;

namespace MetalLb.Net.Core.Admission;

/// <summary>
/// The validating webhook's decision: the object being written is judged together with the
/// rest of the stored configuration by <see cref="ConfigParser"/>, the same rules and words
/// as `metallb-net validate`. A write is refused only for errors it introduces: errors the
/// stored configuration already had are not held against an unrelated object (upstream's
/// webhook refuses any write while any object of the kind is broken). Deleting a BFDProfile
/// a BGPPeer names, or a Community whose alias a BGPAdvertisement uses, is refused.
/// </summary>
public static class AdmissionJudge
{
    public static AdmissionVerdict Judge(AdmissionCase admission)
    {
        ArgumentNullException.ThrowIfNull(admission);
        var obj = admission.Object;
        string name = obj.Metadata.Name ?? "";
        if (obj is BGPPeerV1Beta1 legacy)
        {
            var converted = BgpPeerConversion.ToV1Beta2(legacy);
            if (converted.Value is null) return AdmissionVerdict.Deny($"BGPPeer \"{name}\": {converted.Error}");
            obj = converted.Value;
        }
        if (admission.Operation == AdmissionOperation.Delete)
            return JudgeDelete(obj, admission.Stored);
        if (admission.Operation == AdmissionOperation.Create && obj.Metadata.Namespace != admission.Namespace)
            return AdmissionVerdict.Deny($"resource must be created in {admission.Namespace} namespace");   // upstream's words

        var after = ConfigParser.Parse(With(admission.Stored, obj)).Errors;
        if (after.Count == 0)
            return AdmissionVerdict.Allow();
        // Only a configuration with errors is parsed as stored, to tell which errors are new.
        var known = ConfigParser.Parse(admission.Stored).Errors.ToHashSet();
        var introduced = after.Where(e => !known.Contains(e)).ToList();
        return introduced.Count == 0
            ? AdmissionVerdict.Allow()
            : new AdmissionVerdict(false, string.Join("; ", introduced.Select(e => e.ToString())), introduced);
    }

    private static AdmissionVerdict JudgeDelete(KubeObject obj, ConfigInput stored)
    {
        string name = obj.Metadata.Name ?? "";
        switch (obj)
        {
            case BFDProfile:
                foreach (var peer in stored.Peers.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
                {
                    if (peer.Spec.BFDProfile == name)
                        return AdmissionVerdict.Deny(
                            $"failed to delete BFDProfile {name}, used by BGPPeer {peer.Metadata.Name}: remove spec.bfdProfile from the peer first");
                }
                return AdmissionVerdict.Allow();
            case Community community:
                // An alias another Community object also defines stays defined.
                var elsewhere = stored.Communities.Where(c => c.Metadata.Name != name)
                    .SelectMany(c => c.Spec.Communities ?? []).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
                var aliases = (community.Spec.Communities ?? []).Select(a => a.Name)
                    .Where(a => !string.IsNullOrEmpty(a) && !elsewhere.Contains(a)).ToHashSet(StringComparer.Ordinal);
                foreach (var ad in stored.BgpAdvertisements.OrderBy(a => a.Metadata.Name, StringComparer.Ordinal))
                {
                    if ((ad.Spec.Communities ?? []).FirstOrDefault(aliases.Contains) is { } used)
                        return AdmissionVerdict.Deny(
                            $"failed to delete Community {name}: alias \"{used}\" is used by BGPAdvertisement {ad.Metadata.Name} in spec.communities; remove it there first");
                }
                return AdmissionVerdict.Allow();
            default:
                return AdmissionVerdict.Allow();
        }
    }

    /// <summary>The stored configuration with <paramref name="obj"/> in place of the stored object of that kind and name.</summary>
    private static ConfigInput With(ConfigInput stored, KubeObject obj) => obj switch
    {
        IPAddressPool o => stored with { Pools = Replace(stored.Pools, o) },
        Community o => stored with { Communities = Replace(stored.Communities, o) },
        L2Advertisement o => stored with { L2Advertisements = Replace(stored.L2Advertisements, o) },
        BGPAdvertisement o => stored with { BgpAdvertisements = Replace(stored.BgpAdvertisements, o) },
        BGPPeer o => stored with { Peers = Replace(stored.Peers, o) },
        BFDProfile o => stored with { BfdProfiles = Replace(stored.BfdProfiles, o) },
        _ => stored,
    };

    private static List<T> Replace<T>(IReadOnlyList<T> items, T item) where T : KubeObject =>
        [.. items.Where(i => i.Metadata.Name != item.Metadata.Name), item];
}

public enum AdmissionOperation
{
    Create,
    Update,
    Delete,
    Connect,
}

/// <summary>
/// One admission: the operation, the object (for a delete, the object being deleted; a
/// v1beta1 BGPPeer is converted first), the stored configuration of MetalLB's namespace
/// (BGPPeers as v1beta2) and that namespace's name.
/// </summary>
public sealed record AdmissionCase(AdmissionOperation Operation, KubeObject Object, ConfigInput Stored, string Namespace);

/// <summary>Allowed, or refused with the message to show (every error, each naming the object, the field and the fix).</summary>
public sealed record AdmissionVerdict(bool Allowed, string? Message, IReadOnlyList<ConfigError> Errors)
{
    public static AdmissionVerdict Allow() => new(true, null, []);

    public static AdmissionVerdict Deny(string message) => new(false, message, []);
}
