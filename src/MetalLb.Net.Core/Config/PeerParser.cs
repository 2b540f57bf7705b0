using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Config;

/// <summary>BGPPeer objects, v1beta2 semantics (docs/upstream-controller.md §3.5, R1–R11) into <see cref="PeerConfig"/>s.</summary>
internal static partial class PeerParser
{
    public static List<PeerConfig> Parse(
        IReadOnlyList<BGPPeer> peers, IReadOnlyList<Secret> secrets, IReadOnlySet<string> bfdProfiles, List<ConfigError> errors)
    {
        var result = new List<PeerConfig>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var peer in peers)
        {
            string name = peer.Metadata.Name ?? "";
            var problems = new List<ConfigError>();
            void Problem(string message, bool transient = false) =>
                problems.Add(new ConfigError(ConfigKinds.BGPPeer, name, message, transient));
            if (!names.Add(name))
                Problem($"peer {name} already exists");   // R11: names are the identity here
            var config = ParseOne(peer, name, secrets, bfdProfiles, Problem);
            errors.AddRange(problems);
            if (problems.Count == 0) result.Add(config);
        }
        return result;
    }

    /// <summary>The peer as parsed; only used when no problem was reported.</summary>
    private static PeerConfig ParseOne(
        BGPPeer peer, string name, IReadOnlyList<Secret> secrets, IReadOnlySet<string> bfdProfiles, Action<string, bool> problem)
    {
        var s = peer.Spec;
        void Problem(string message) => problem(message, false);
        if (s.MyASN == 0) Problem("missing local ASN: set myASN");   // R1
        uint? peerAsn = s.PeerASN is uint a && a != 0 ? a : null;
        DynamicAsnMode? dynamic = null;
        if (peerAsn is null && string.IsNullOrEmpty(s.DynamicASN))   // R2
            Problem("missing peer ASN and dynamicASN: set exactly one of peerASN and dynamicASN");
        else if (peerAsn is not null && !string.IsNullOrEmpty(s.DynamicASN))
            Problem("both peer ASN and dynamicASN specified: set exactly one of them");
        if (s.DynamicASN is "internal") dynamic = DynamicAsnMode.Internal;
        else if (s.DynamicASN is "external") dynamic = DynamicAsnMode.External;
        else if (!string.IsNullOrEmpty(s.DynamicASN)) Problem($"invalid dynamicASN {s.DynamicASN}: use internal or external");
        if (peerAsn == s.MyASN && s.EbgpMultiHop == true)   // R3
            Problem("invalid ebgp-multihop parameter set for an ibgp peer: ebgpMultiHop needs peerASN different from myASN");
        bool hasAddress = !string.IsNullOrEmpty(s.PeerAddress), hasInterface = !string.IsNullOrEmpty(s.Interface);
        if (!hasAddress && !hasInterface) Problem("peer has no Address or Interface specified: set peerAddress or interface");   // R4
        if (hasAddress && hasInterface) Problem("peer has both Address and Interface specified: set only one");
        if (HasLineBreak(s.Interface)) Problem("interface contains invalid characters (line breaks)");
        if (HasLineBreak(s.Vrf)) Problem("vrf contains invalid characters (line breaks)");

        var (hold, keepalive) = PeerTimers.Resolve(s.HoldTime, s.KeepaliveTime, Problem);   // R5
        var connect = PeerTimers.ParseConnectTime(s.ConnectTime, Problem);
        var address = ParseIp(s.PeerAddress, "invalid BGPPeer address", Problem);   // R6
        var routerId = ParseIp(s.RouterID, "invalid router ID", Problem);
        var source = ParseIp(s.SourceAddress, "invalid source IP", Problem);
        int port = s.PeerPort is null or 0 ? 179 : s.PeerPort.Value;
        if (port is < 1 or > 16384) Problem($"invalid peerPort {port}: must be in 1-16384");

        var selectorProblems = new List<string>();   // R7
        SelectorRules.TryCompile(s.NodeSelectors, "nodeSelectors", selectorProblems, out var nodeSelectors);
        selectorProblems.ForEach(Problem);

        string? password = string.IsNullOrEmpty(s.Password) ? null : s.Password;
        if (password is not null && !string.IsNullOrEmpty(s.PasswordSecret?.Name))   // R8
            Problem($"can not have both password and secret ref set in peer config \"{name}\": use password or passwordSecret");
        else if (!string.IsNullOrEmpty(s.PasswordSecret?.Name))
            password = PeerSecrets.Password(s.PasswordSecret, secrets, problem);   // R9
        if (HasLineBreak(password)) Problem("password contains invalid characters (line breaks)");

        string? bfd = string.IsNullOrEmpty(s.BFDProfile) ? null : s.BFDProfile;
        if (bfd is not null && !bfdProfiles.Contains(bfd))   // R10: may be created later
            problem($"peer {name} referencing non existing bfd profile {bfd}: create the BFDProfile or fix bfdProfile", true);

        return new PeerConfig(
            name, s.MyASN, peerAsn, dynamic, s.LocalASN is uint l && l != 0 ? l : null,
            address, hasInterface ? s.Interface : null, source, port, hold, keepalive, connect, routerId,
            nodeSelectors, password, bfd, s.EnableGracefulRestart ?? false, s.EbgpMultiHop ?? false,
            string.IsNullOrEmpty(s.Vrf) ? null : s.Vrf, s.DisableMP ?? false, s.DualStackAddressFamily ?? false);
    }

    private static IpAddress? ParseIp(string? text, string what, Action<string> problem)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (IpAddress.TryParse(text, out var ip)) return ip;
        problem($"{what} \"{text}\": not an IP address");
        return null;
    }

    private static bool HasLineBreak(string? text) => text is not null && text.AsSpan().IndexOfAny('\n', '\r') >= 0;
}
