using System.Globalization;
using System.Text.Json.Nodes;
using MetalLb.Net.Kube.Rest;
using YamlDotNet.Serialization;

namespace MetalLb.Net.Lab;

/// <summary>
/// The configuration `lab up` applies, written to the lab's folder as config.yaml so a user can
/// read it, change it and `kubectl apply` it again. The L2 pool is on the LAN's own subnet (the
/// client reaches it directly); the BGP pool is elsewhere and reached through the router.
/// </summary>
public static class LabSample
{
    public const string L2Pool = "lab-l2";
    public const string BgpPool = "lab-bgp";

    /// <summary>The BGP pool's range; the client routes it via the router (192.0.2.1).</summary>
    public const string BgpPrefix = "203.0.113.0/24";

    public static string Yaml(LabMode mode, FrrRouterOptions router)
    {
        ArgumentNullException.ThrowIfNull(router);
        var docs = new List<string>();
        if (mode != LabMode.Bgp)
        {
            docs.Add($"""
                # L2: one node answers ARP/NDP for each IP; the client reaches it on the LAN.
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata:
                  name: {L2Pool}
                  namespace: metallb-system
                spec:
                  addresses:
                  - 192.0.2.200-192.0.2.219
                  - 2001:db8::200-2001:db8::21f
                """);
            docs.Add($"""
                apiVersion: metallb.io/v1beta1
                kind: L2Advertisement
                metadata:
                  name: {L2Pool}
                  namespace: metallb-system
                spec:
                  ipAddressPools:
                  - {L2Pool}
                """);
        }
        if (mode != LabMode.L2)
        {
            // With both modes a plain Service gets the L2 pool; ask for this one by annotation.
            string autoAssign = mode == LabMode.Both ? "\n  autoAssign: false" : "";
            docs.Add($"""
                # BGP: every node announces each IP to the router, which spreads traffic (ECMP).
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata:
                  name: {BgpPool}
                  namespace: metallb-system
                spec:
                  addresses:
                  - 203.0.113.10-203.0.113.29{autoAssign}
                """);
            docs.Add(string.Create(CultureInfo.InvariantCulture, $"""
                apiVersion: metallb.io/v1beta2
                kind: BGPPeer
                metadata:
                  name: lab-router
                  namespace: metallb-system
                spec:
                  myASN: {router.NodeAsn}
                  peerASN: {router.Asn}
                  peerAddress: 192.0.2.1
                  holdTime: 9s
                  keepaliveTime: 3s
                """));
            docs.Add($"""
                apiVersion: metallb.io/v1beta1
                kind: BGPAdvertisement
                metadata:
                  name: {BgpPool}
                  namespace: metallb-system
                spec:
                  ipAddressPools:
                  - {BgpPool}
                """);
        }
        return string.Join("\n---\n", docs) + "\n";
    }

    /// <summary>Creates every document of <paramref name="yaml"/> (metallb.io kinds only), as kubectl create would.</summary>
    public static async Task ApplyAsync(KubeClient api, string yaml, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(yaml);
        foreach (string doc in yaml.Split("\n---\n"))
        {
            string json = ToJson(doc);
            var obj = JsonNode.Parse(json)!.AsObject();
            string apiVersion = obj["apiVersion"]!.GetValue<string>();
            string kind = obj["kind"]!.GetValue<string>();
            string[] gv = apiVersion.Split('/');
            var resource = new ResourceInfo(gv[0], gv[1], kind.ToLowerInvariant() + (kind.EndsWith('s') ? "es" : "s"), kind, true);
            await api.Generic(resource).CreateAsync(GenericObject.Parse(json), ct);
        }
    }

    /// <summary>One YAML document as JSON text.</summary>
    public static string ToJson(string yaml)
    {
        object? doc = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize(new StringReader(yaml));
        return new SerializerBuilder().JsonCompatible().Build().Serialize(doc);
    }
}
