using System.Globalization;
using System.Text;
using MetalLb.Net.KubeEmulator.Http;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// Protobuf request bodies (helm's release Secrets, `kubectl create secret`, `kubectl create
/// service loadbalancer`, `kubectl create namespace`): hand-encoded objects decode to the JSON
/// the server stores, kubectl's own protobuf is accepted, and mutated bodies are a 400, never an
/// exception of another kind.
/// </summary>
public sealed class ProtobufBodyTests
{
    private static readonly ResourceType Secrets = new ResourceRegistry().FindByKey("secrets")!;
    private static readonly ResourceType Services = new ResourceRegistry().FindByKey("services")!;

    // k8s\0 + Unknown{typeMeta{v1, Secret}, raw=Secret{metadata{name "rel", namespace "ns",
    // labels{owner: helm}}, data{release: 0x01 0xFF}, type "helm.sh/release.v1"}}.
    private static byte[] HelmLikeSecret()
    {
        byte[] meta = [.. Str(1, "rel"), .. Str(3, "ns"), .. Msg(11, [.. Str(1, "owner"), .. Str(2, "helm")])];
        byte[] secret = [.. Msg(1, meta), .. Msg(2, [.. Str(1, "release"), .. Msg(2, [0x01, 0xFF])]), .. Str(3, "helm.sh/release.v1")];
        return [.. "k8s\0"u8.ToArray(), .. Msg(1, [.. Str(1, "v1"), .. Str(2, "Secret")]), .. Msg(2, secret), .. Str(4, "application/vnd.kubernetes.protobuf")];
    }

    // k8s\0 + Unknown{typeMeta{v1, Service}, raw=Service{...}} as Go's encoder writes what
    // `kubectl create service loadbalancer web --tcp=80:8080` builds: every non-pointer field,
    // empty or zero ones too, and an empty status.
    private static byte[] KubectlLikeService(byte[] targetPort, params byte[][] extraSpec)
    {
        byte[] meta = [.. Str(1, "web"), .. Msg(8, []), .. Msg(11, [.. Str(1, "app"), .. Str(2, "web")])];
        byte[] port = [.. Str(1, "80-8080"), .. Str(2, "TCP"), .. Var(3, 80), .. Msg(4, targetPort), .. Var(5, 0)];
        byte[] spec = [.. Msg(1, port), .. Msg(2, [.. Str(1, "app"), .. Str(2, "web")]), .. Str(3, ""), .. Str(4, "LoadBalancer"),
            .. Str(7, ""), .. Str(8, ""), .. Str(10, ""), .. Str(11, ""), .. Var(12, 0), .. Var(13, 0), .. extraSpec.SelectMany(b => b)];
        byte[] service = [.. Msg(1, meta), .. Msg(2, spec), .. Msg(3, Msg(1, []))];
        return [.. "k8s\0"u8.ToArray(), .. Msg(1, [.. Str(1, "v1"), .. Str(2, "Service")]), .. Msg(2, service), .. Str(4, "application/vnd.kubernetes.protobuf")];
    }

    private static byte[] Str(int field, string s) => Msg(field, Encoding.UTF8.GetBytes(s));

    private static byte[] Var(int field, int v) => [.. Varint(field << 3), .. Varint(v)];

    // Tags are varints too: a field number from 16 on takes two bytes.
    private static byte[] Msg(int field, byte[] body) => [.. Varint((field << 3) | 2), .. Varint(body.Length), .. body];

    private static byte[] Varint(int v)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(v & 0x7F);
            v >>= 7;
            bytes.Add(v > 0 ? (byte)(b | 0x80) : b);
        }
        while (v > 0);
        return [.. bytes];
    }

    [Fact]
    public void A_helm_release_secret_decodes_to_its_json()
    {
        var obj = KubeProtobuf.Decode(HelmLikeSecret(), Secrets);

        Assert.Equal(
            """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"rel","namespace":"ns","labels":{"owner":"helm"}},"data":{"release":"Af8="},"type":"helm.sh/release.v1"}""",
            obj.ToJsonString());
    }

    [Fact]
    public void A_kubectl_service_decodes_to_the_json_kubectl_would_have_sent()
    {
        var obj = KubeProtobuf.Decode(KubectlLikeService([.. Var(1, 0), .. Var(2, 8080)]), Services);

        Assert.Equal(
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}],"selector":{"app":"web"},"type":"LoadBalancer"}}""",
            obj.ToJsonString());
    }

    [Fact]
    public void A_named_target_port_and_pointer_fields_are_kept_even_when_empty_or_false()
    {
        // targetPort "http" (IntOrString type 1); ipFamilyPolicy, allocateLoadBalancerNodePorts and
        // loadBalancerClass are pointers in Go: present means set, false and "" included.
        var obj = KubeProtobuf.Decode(KubectlLikeService([.. Var(1, 1), .. Str(3, "http")],
            Str(17, "SingleStack"), Var(20, 0), Str(21, ""), Str(19, "IPv4"), Str(5, "192.0.2.7")), Services);

        var spec = obj["spec"]!.AsObject();
        Assert.Equal("http", (string?)spec["ports"]![0]!["targetPort"]);
        Assert.Equal("SingleStack", (string?)spec["ipFamilyPolicy"]);
        Assert.False((bool)spec["allocateLoadBalancerNodePorts"]!);
        Assert.Equal("", (string?)spec["loadBalancerClass"]);
        Assert.Equal("""["IPv4"]""", spec["ipFamilies"]!.ToJsonString());
        Assert.Equal("""["192.0.2.7"]""", spec["externalIPs"]!.ToJsonString());
        Assert.False(spec.ContainsKey("clusterIP"));   // "" from a non-pointer field: left out, as JSON would
    }

    [Fact]
    public void Mutated_bodies_decode_or_are_a_400_never_another_exception()
    {
        var random = new Random(1616);
        foreach (var (good, type) in (ValueTuple<byte[], ResourceType>[])[(HelmLikeSecret(), Secrets), (KubectlLikeService([.. Var(1, 0), .. Var(2, 8080)]), Services)])
            Mutate(good, type, random);
    }

    private static void Mutate(byte[] good, ResourceType type, Random random)
    {
        for (int i = 0; i < 20000; i++)
        {
            byte[] body = (byte[])good.Clone();
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits; e++)
                body[random.Next(4, body.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0)
                body = body[..random.Next(4, body.Length)];
            try
            {
                KubeProtobuf.Decode(body, type);
            }
            catch (ApiException ex)
            {
                Assert.Equal(400, ex.Code);
            }
        }
    }

    [Fact]
    public void A_body_without_the_magic_prefix_is_a_400()
    {
        var ex = Assert.Throws<ApiException>(() => KubeProtobuf.Decode("{}"u8, Secrets));
        Assert.Equal(400, ex.Code);
    }

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task Kubectl_create_secret_sends_protobuf_and_the_secret_is_stored(string flavor)
    {
        string kubectl = KubectlBinary.Require(flavor);
        await using var server = await EmulatorServer.StartAsync();
        using var session = new KubectlSession(kubectl, server);

        await session.OkAsync("create", "secret", "generic", "pw", "--from-literal=password=s3cret", "-n", "default");

        string value = await session.OkAsync("get", "secret", "pw", "-n", "default", "-o", "jsonpath={.data.password}");
        Assert.Equal("s3cret", Encoding.UTF8.GetString(Convert.FromBase64String(value)));
    }

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task Kubectl_create_namespace_and_service_loadbalancer_are_stored_as_kubectl_meant(string flavor)
    {
        string kubectl = KubectlBinary.Require(flavor);
        await using var server = await EmulatorServer.StartAsync();
        using var session = new KubectlSession(kubectl, server);

        await session.OkAsync("create", "namespace", "demo");
        await session.OkAsync("create", "service", "loadbalancer", "web", "--tcp=80:8080", "-n", "demo");

        Assert.Equal("Active", await session.OkAsync("get", "namespace", "demo", "-o", "jsonpath={.status.phase}"));
        string got = await session.OkAsync("get", "service", "web", "-n", "demo", "-o",
            "jsonpath={.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.ports[0].protocol} {.spec.selector.app}");
        Assert.Equal("LoadBalancer 80 8080 TCP web", got);
        // The server's defaults applied as to a JSON create: a cluster IP and a node port allocated.
        Assert.NotEmpty(await session.OkAsync("get", "service", "web", "-n", "demo", "-o", "jsonpath={.spec.clusterIP}"));
        string nodePort = await session.OkAsync("get", "service", "web", "-n", "demo", "-o", "jsonpath={.spec.ports[0].nodePort}");
        Assert.True(int.TryParse(nodePort, CultureInfo.InvariantCulture, out int np) && np > 0, $"nodePort '{nodePort}'");
    }
}
