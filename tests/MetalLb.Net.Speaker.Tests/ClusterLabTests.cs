using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using MetalLb.Net.Api.Core;
using MetalLb.Net.TestKit;
using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>
/// The lab itself, without speakers: if these fail, a speaker test's failure says nothing about
/// the speaker. The wires, the Kubernetes objects a kubelet would write, the API reachable from
/// inside each node, FRR up, the controller allocating.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterLabTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task The_lab_wires_nodes_client_and_router_and_every_node_reaches_the_api()
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions
        {
            Output = output.WriteLine, StartSpeakers = false, RequireSpeaker = false, MemberlistKey = MemberlistKeySource.None,
        });

        // The client's kernel resolves every node by ARP and NDP to the node's fixed MAC.
        foreach (var n in lab.Nodes)
        {
            Assert.Equal([n.Mac], lab.Client.Arping(n.IPv4));
            Assert.Equal(n.Mac, lab.Client.Ndisc6(n.IPv6));
        }

        // The objects a kubelet would have written.
        foreach (var n in lab.Nodes)
        {
            var node = await lab.Api.Resource<Node>().GetAsync(null, n.Name);
            Assert.Equal([n.IPv4, n.IPv6], node.Status!.Addresses!.Where(a => a.Type == "InternalIP").Select(a => a.Address));
            Assert.Equal(n.Name, node.Metadata.Labels![ClusterLab.HostnameLabel]);
            var pod = (await lab.Api.Generic(new("", "v1", "pods", "Pod", true)).GetAsync(ClusterLab.MetalLbNamespace, n.PodName)).ToJson();
            using var doc = JsonDocument.Parse(pod);
            Assert.Equal("Running", doc.RootElement.GetProperty("status").GetProperty("phase").GetString());
            Assert.Equal(n.IPv4, doc.RootElement.GetProperty("status").GetProperty("podIP").GetString());
            Assert.Equal(n.Name, doc.RootElement.GetProperty("spec").GetProperty("nodeName").GetString());
        }

        // From inside each node, 127.0.0.1:<api port> is the emulator, over its TLS, with its token.
        foreach (var n in lab.Nodes)
        {
            using var http = ApiFromNode(lab, n);
            using var response = await http.GetAsync(new Uri("/api/v1/nodes", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(n.Name, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // FRR's bgpd answers vtysh, with a neighbor configured per node.
        var router = lab.Router!;
        using (var summary = await Wait.ForAsync(() => router.VtyshJson("show bgp summary json"), d => d is not null, "bgpd answers vtysh", router.Describe))
        {
            var peers = summary!.RootElement.GetProperty("ipv4Unicast").GetProperty("peers");
            Assert.Equal(lab.Nodes.Select(n => n.IPv4).Order(), peers.EnumerateObject().Select(p => p.Name).Order());
        }

        // The controller allocates.
        var s = new Scenario(lab);
        await s.PoolAsync("lan", Scenario.L2Addresses);
        await s.ServiceAsync("probe", "lan");
        Assert.Equal(["192.0.2.100"], await s.IPsAsync("probe"));
    }

    [SkippableFact]
    public async Task Two_labs_run_side_by_side_and_leave_no_namespace_behind()
    {
        string[] before = Namespaces();
        string prefix1, prefix2;
        await using (var a = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine, Nodes = 1, StartSpeakers = false, RequireSpeaker = false, Controller = false, Router = false, MemberlistKey = MemberlistKeySource.None }))
        await using (var b = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine, Nodes = 1, StartSpeakers = false, RequireSpeaker = false, Controller = false, Router = false, MemberlistKey = MemberlistKeySource.None }))
        {
            (prefix1, prefix2) = (a.Network.Prefix, b.Network.Prefix);
            Assert.NotEqual(prefix1, prefix2);
            // Same addresses, separate LANs: each client reaches its own node.
            Assert.Equal([a.Nodes[0].Mac], a.Client.Arping(a.Nodes[0].IPv4));
            Assert.Equal([b.Nodes[0].Mac], b.Client.Arping(b.Nodes[0].IPv4));
        }
        string[] after = Namespaces();
        Assert.DoesNotContain(after, ns => ns.StartsWith(prefix1 + "-", StringComparison.Ordinal) || ns.StartsWith(prefix2 + "-", StringComparison.Ordinal));
        Assert.Empty(after.Except(before));
    }

    private static string[] Namespaces() =>
        [.. LabShell.Check("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])];

    /// <summary>An https client whose connections start inside <paramref name="node"/> (through its forwarder).</summary>
    private static HttpClient ApiFromNode(ClusterLab lab, LabNode node)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (ctx, ct) =>
            {
                var socket = node.Sockets.NewSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, ctx.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        // The emulator's own CA, as the kubeconfig carries it.
        var ca = lab.Emulator.Server.CaCertificate!;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
        {
            using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
            chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
            return cert is System.Security.Cryptography.X509Certificates.X509Certificate2 c && chain.Build(c);
        };
        var http = new HttpClient(handler) { BaseAddress = lab.Emulator.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", EmulatorLab.Token);
        return http;
    }
}
