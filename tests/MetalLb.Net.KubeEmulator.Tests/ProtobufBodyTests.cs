using System.Text;
using MetalLb.Net.KubeEmulator.Http;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// Protobuf request bodies (helm's release Secrets, `kubectl create secret`): a hand-encoded
/// Secret decodes to the JSON the server stores, kubectl's own protobuf is accepted, and
/// mutated bodies are a 400, never an exception of another kind.
/// </summary>
public sealed class ProtobufBodyTests
{
    private static readonly ResourceType Secrets = new ResourceRegistry().FindByKey("secrets")!;

    // k8s\0 + Unknown{typeMeta{v1, Secret}, raw=Secret{metadata{name "rel", namespace "ns",
    // labels{owner: helm}}, data{release: 0x01 0xFF}, type "helm.sh/release.v1"}}.
    private static byte[] HelmLikeSecret()
    {
        byte[] meta = [.. Str(1, "rel"), .. Str(3, "ns"), .. Msg(11, [.. Str(1, "owner"), .. Str(2, "helm")])];
        byte[] secret = [.. Msg(1, meta), .. Msg(2, [.. Str(1, "release"), .. Msg(2, [0x01, 0xFF])]), .. Str(3, "helm.sh/release.v1")];
        return [.. "k8s\0"u8.ToArray(), .. Msg(1, [.. Str(1, "v1"), .. Str(2, "Secret")]), .. Msg(2, secret), .. Str(4, "application/vnd.kubernetes.protobuf")];
    }

    private static byte[] Str(int field, string s) => Msg(field, Encoding.UTF8.GetBytes(s));

    private static byte[] Msg(int field, byte[] body) => [(byte)((field << 3) | 2), .. Varint(body.Length), .. body];

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
    public void Mutated_bodies_decode_or_are_a_400_never_another_exception()
    {
        var random = new Random(1616);
        byte[] good = HelmLikeSecret();
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
                KubeProtobuf.Decode(body, Secrets);
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
}
