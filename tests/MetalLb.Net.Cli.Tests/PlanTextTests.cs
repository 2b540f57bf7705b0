namespace MetalLb.Net.Cli.Tests;

/// <summary>The table for people: rows like kubectl's, and one line of reason per gap.</summary>
public sealed class PlanTextTests
{
    private const string DualStackOverIPv4Peer = """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: dual, namespace: metallb-system}
        spec: {addresses: [198.51.100.0/28, 2001:db8::/124]}
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: tor, namespace: metallb-system}
        spec: {myASN: 64500, peerASN: 64501, peerAddress: 192.0.2.1}
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: {name: all, namespace: metallb-system}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-a}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec: {type: LoadBalancer, ipFamilyPolicy: RequireDualStack, ports: [{port: 80}]}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        endpoints: [{addresses: [10.0.0.1], nodeName: node-a}]
        """;

    [Fact]
    public void A_family_no_bgp_session_carries_is_called_out()
    {
        var run = CliRun.OfYaml(DualStackOverIPv4Peer);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("198.51.100.0,2001:db8::", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("node-a -> tor 198.51.100.0/32", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("default/web: BGP: 2001:db8:: is sent to no peer (no BGP session carries IPv6)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Pending_services_say_why_under_the_table()
    {
        var run = CliRun.OfYaml(DualStackOverIPv4Peer.Replace("2001:db8::/124", "2001:db8::/128", StringComparison.Ordinal)
            + "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: late}\nspec: {type: LoadBalancer, ipFamilyPolicy: RequireDualStack}\n");
        Assert.Matches(@"(?m)^default\s+late\s+<pending>\s+-\s+-\s+-$", run.Stdout);
        Assert.Contains("default/late: pending: no available IPs", run.Stdout, StringComparison.Ordinal);
    }
}
