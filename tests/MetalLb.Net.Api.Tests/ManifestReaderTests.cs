using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Manifests;
using MetalLb.Net.Api.MetalLb;

namespace MetalLb.Net.Api.Tests;

public sealed class ManifestReaderTests
{
    [Fact]
    public void Reads_every_document_with_its_line()
    {
        const string yaml = """
            # a comment before the first document
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: a, namespace: metallb-system}
            spec:
              addresses: [192.0.2.0/24]
              autoAssign: false
            ---
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              type: LoadBalancer
              ports:
              - port: 80
                targetPort: http
            """;
        var result = ManifestReader.Read(yaml, "f.yaml");
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Objects.Count);
        var pool = Assert.IsType<IPAddressPool>(result.Objects[0].Object);
        Assert.Equal(["192.0.2.0/24"], pool.Spec.Addresses);
        Assert.False(pool.Spec.AutoAssign);
        Assert.Equal("f.yaml:2", result.Objects[0].Location);
        var svc = Assert.IsType<Service>(result.Objects[1].Object);
        Assert.Equal("http", svc.Spec.Ports![0].TargetPort!.Value.String);
        Assert.Equal(10, result.Objects[1].Line);
    }

    [Fact]
    public void Json_input_is_yaml_too()
    {
        var result = ManifestReader.Read("""{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":{"zone":"a"}}}""", "n.json");
        Assert.Empty(result.Errors);
        Assert.Equal("a", Assert.IsType<Node>(result.Objects[0].Object).Metadata.Labels!["zone"]);
    }

    [Fact]
    public void A_list_is_read_item_by_item_as_kubectl_get_prints_it()
    {
        const string yaml = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Node
              metadata: {name: n1}
            - apiVersion: v1
              kind: Node
              metadata: {name: n2}
            """;
        var result = ManifestReader.Read(yaml, "list.yaml");
        Assert.Equal(["n1", "n2"], result.Objects.Select(o => o.Object.Metadata.Name));
        Assert.Equal(7, result.Objects[1].Line);
    }

    [Fact]
    public void Anchors_and_aliases_resolve()
    {
        const string yaml = """
            apiVersion: v1
            kind: Node
            metadata:
              name: n1
              labels: &common {zone: a}
              annotations: *common
            """;
        var node = Assert.IsType<Node>(ManifestReader.Read(yaml, "a.yaml").Objects.Single().Object);
        Assert.Equal("a", node.Metadata.Annotations!["zone"]);
    }

    [Theory]
    [InlineData("quoted numbers stay strings", "version: \"1\"", "1")]
    [InlineData("a plain word is a string", "version: stable", "stable")]
    [InlineData("an address is a string", "version: 192.0.2.1", "192.0.2.1")]
    public void Scalars_get_kubernetes_types(string name, string label, string expected)
    {
        var yaml = $"apiVersion: v1\nkind: Node\nmetadata:\n  name: n\n  labels:\n    {label}\n";
        var result = ManifestReader.Read(yaml, "s.yaml");
        Assert.True(result.Errors.Count == 0, name + ": " + string.Join("; ", result.Errors));
        Assert.Equal(expected, result.Objects[0].Object.Metadata.Labels!["version"]);
    }

    [Fact]
    public void BGPPeer_v1beta1_converts_with_upstreams_zero_timers()
    {
        const string yaml = """
            apiVersion: metallb.io/v1beta1
            kind: BGPPeer
            metadata: {name: r, namespace: metallb-system}
            spec:
              myASN: 64500
              peerASN: 64501
              peerAddress: 192.0.2.1
              nodeSelectors:
              - matchLabels: {rack: a}
            """;
        var peer = Assert.IsType<BGPPeerV1Beta1>(ManifestReader.Read(yaml, "p.yaml").Objects.Single().Object).ToV1Beta2();
        Assert.Equal(("0s", "0s"), (peer.Spec.HoldTime, peer.Spec.KeepaliveTime));
        Assert.Equal("a", peer.Spec.NodeSelectors![0].MatchLabels!["rack"]);
        Assert.Equal("metallb.io/v1beta2", peer.ApiVersion);
    }

    [Fact]
    public void A_bad_document_does_not_hide_the_good_ones()
    {
        const string yaml = "apiVersion: v1\nkind: Node\nmetadata: {name: good}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: bad, labels: {n: 1}}\n";
        var result = ManifestReader.Read(yaml, "m.yaml");
        Assert.Equal("good", result.Objects.Single().Object.Metadata.Name);
        Assert.Equal(7, result.Errors.Single().Line);
    }

    [Fact]
    public void A_misspelt_field_deep_in_a_metallb_spec_is_refused_with_its_line()
    {
        const string yaml = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p}\nspec:\n  addresses: [192.0.2.0/24]\n  serviceAllocation:\n    priorty: 5\n";
        var error = ManifestReader.Read(yaml, "p.yaml").Errors.Single();
        Assert.Equal(7, error.Line);
        Assert.Contains("unknown field \"spec.serviceAllocation.priorty\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_and_status_written_by_a_server_are_accepted()
    {
        const string yaml = "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata:\n  name: l2\n  managedFields: [{manager: kubectl}]\n  selfLink: x\nspec: {}\nstatus: {}\n";
        Assert.Empty(ManifestReader.Read(yaml, "l2.yaml").Errors);
    }

    [Fact]
    public void The_api_types_themselves_tolerate_fields_a_newer_server_adds()
    {
        // The live client decodes with ApiJsonContext: a new upstream field must not stop an informer.
        var pool = System.Text.Json.JsonSerializer.Deserialize(
            """{"apiVersion":"metallb.io/v1beta1","kind":"IPAddressPool","metadata":{"name":"p"},"spec":{"addresses":["192.0.2.0/24"],"someFutureField":true}}""",
            Serialization.ApiJsonContext.Default.IPAddressPool);
        Assert.Equal(["192.0.2.0/24"], pool!.Spec.Addresses);
    }
}
