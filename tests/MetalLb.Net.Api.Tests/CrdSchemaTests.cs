using MetalLb.Net.Api.Tests.Crds;
using static MetalLb.Net.Api.Tests.Crds.ParsedCrd;

namespace MetalLb.Net.Api.Tests;

/// <summary>Facts about the generated CRDs that users and the API server rely on.</summary>
public sealed class CrdSchemaTests
{
    public static TheoryData<string> Files => [.. All.Select(c => c.FileName)];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_schema_node_has_a_type(string file)
    {
        // Structural schemas (required by apiextensions.k8s.io/v1): every node names its type.
        var crd = All.Single(c => c.FileName == file);
        var untyped = new List<string>();
        foreach (var version in crd.Versions)
            CollectUntyped(Map(Map(version, "schema"), "openAPIV3Schema"), (string)version["name"], untyped);

        Assert.Empty(untyped);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_version_has_a_status_subresource_and_a_status_property(string file)
    {
        foreach (var version in All.Single(c => c.FileName == file).Versions)
        {
            Assert.True(Map(version, "subresources").ContainsKey("status"), $"{file} {version["name"]}");
            Assert.Equal("object", Map(Map(Map(Map(version, "schema"), "openAPIV3Schema"), "properties"), "status")["type"]);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Metadata_is_only_declared_an_object(string file)
    {
        foreach (var version in All.Single(c => c.FileName == file).Versions)
        {
            var metadata = Map(Map(Map(Map(version, "schema"), "openAPIV3Schema"), "properties"), "metadata");
            Assert.Equal(new Dictionary<object, object> { ["type"] = "object" }, metadata);
        }
    }

    [Fact]
    public void Names_and_scope_follow_upstream()
    {
        var pool = ForPlural("ipaddresspools");
        var names = Map(pool.Spec, "names");

        Assert.Equal("ipaddresspools.metallb.io", Map(pool.Root, "metadata")["name"]);
        Assert.Equal("metallb.io", pool.Spec["group"]);
        Assert.Equal("Namespaced", pool.Spec["scope"]);
        Assert.Equal(("IPAddressPool", "IPAddressPoolList", "ipaddresspool"),
            ((string)names["kind"], (string)names["listKind"], (string)names["singular"]));
    }

    [Fact]
    public void BGPPeer_serves_both_versions_and_stores_only_v1beta2()
    {
        var peers = ForPlural("bgppeers");
        var stored = peers.Versions.Where(v => (string)v["storage"] == "true").Select(v => (string)v["name"]);

        Assert.Equal(["v1beta2"], stored);
        Assert.All(peers.Versions, v => Assert.Equal("true", v["served"]));
        Assert.Equal("true", peers.Version("v1beta1")["deprecated"]);
        Assert.Contains("v1beta2", (string)peers.Version("v1beta1")["deprecationWarning"], StringComparison.Ordinal);
        Assert.False(peers.Version("v1beta2").ContainsKey("deprecated"));
        Assert.Equal("Webhook", Map(peers.Spec, "conversion")["strategy"]);
    }

    [Fact]
    public void Single_version_kinds_declare_no_conversion()
    {
        Assert.All(All.Where(c => c.Versions.Count == 1), c => Assert.False(c.Spec.ContainsKey("conversion"), c.FileName));
    }

    [Fact]
    public void Required_fields()
    {
        Assert.Equal(["addresses"], List(ForPlural("ipaddresspools").Property("v1beta1", "spec"), "required"));
        Assert.Equal(["spec"], List(ForPlural("ipaddresspools").Schema("v1beta1"), "required"));
        Assert.Equal(["myASN"], List(ForPlural("bgppeers").Property("v1beta2", "spec"), "required"));
        Assert.Equal(["myASN", "peerASN", "peerAddress"], List(ForPlural("bgppeers").Property("v1beta1", "spec"), "required"));
        Assert.Equal(["preference", "weight"],
            List(ForPlural("l2advertisements").Property("v1beta1", "spec.preferredNodeSelectors[]"), "required"));
    }

    public static TheoryData<string, string, string, string> Defaults => new()
    {
        { "bgppeers", "v1beta2", "spec.peerPort", "179" },
        { "bgppeers", "v1beta2", "spec.disableMP", "false" },
        { "bgppeers", "v1beta2", "spec.dualStackAddressFamily", "false" },
        { "bgpadvertisements", "v1beta1", "spec.aggregationLength", "32" },
        { "bgpadvertisements", "v1beta1", "spec.aggregationLengthV6", "128" },
        { "ipaddresspools", "v1beta1", "spec.autoAssign", "true" },
        { "ipaddresspools", "v1beta1", "spec.avoidBuggyIPs", "false" },
    };

    [Theory]
    [MemberData(nameof(Defaults))]
    public void Defaults_are_applied_by_the_schema(string plural, string version, string path, string expected)
    {
        Assert.Equal(expected, ForPlural(plural).Property(version, path)["default"]);
    }

    [Fact]
    public void BGPPeer_v1beta1_has_no_port_default_as_upstream()
    {
        Assert.False(ForPlural("bgppeers").Property("v1beta1", "spec.peerPort").ContainsKey("default"));
    }

    public static TheoryData<string, string, string, string?, string?> Bounds => new()
    {
        { "bgppeers", "v1beta2", "spec.peerPort", "1", "16384" },
        { "bgppeers", "v1beta1", "spec.peerPort", "0", "16384" },
        { "bgppeers", "v1beta2", "spec.myASN", "0", "4294967295" },
        { "bgppeers", "v1beta2", "spec.peerASN", "0", "4294967295" },
        { "bgppeers", "v1beta2", "spec.localASN", "1", "4294967295" },
        { "bgpadvertisements", "v1beta1", "spec.aggregationLength", "1", null },
        { "bgpadvertisements", "v1beta1", "spec.aggregationLengthV6", null, null },
        { "l2advertisements", "v1beta1", "spec.preferredNodeSelectors[].weight", "1", "100" },
        { "bfdprofiles", "v1beta1", "spec.receiveInterval", "10", "60000" },
        { "bfdprofiles", "v1beta1", "spec.transmitInterval", "10", "60000" },
        { "bfdprofiles", "v1beta1", "spec.echoInterval", "10", "60000" },
        { "bfdprofiles", "v1beta1", "spec.detectMultiplier", "2", "255" },
        { "bfdprofiles", "v1beta1", "spec.minimumTtl", "1", "254" },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Integer_bounds(string plural, string version, string path, string? minimum, string? maximum)
    {
        var node = ForPlural(plural).Property(version, path);

        Assert.Equal("integer", node["type"]);
        Assert.Equal(minimum, node.GetValueOrDefault("minimum"));
        Assert.Equal(maximum, node.GetValueOrDefault("maximum"));
    }

    [Fact]
    public void Enums()
    {
        Assert.Equal(["internal", "external"], List(ForPlural("bgppeers").Property("v1beta2", "spec.dynamicASN"), "enum"));
        Assert.Equal(["Valid", "Invalid", "Unknown"], List(ForPlural("configurationstates").Property("v1beta1", "status.result"), "enum"));
        Assert.Equal(["True", "False", "Unknown"],
            List(ForPlural("configurationstates").Property("v1beta1", "status.conditions[].status"), "enum"));
    }

    private static void CollectUntyped(Dictionary<object, object> node, string where, List<string> untyped)
    {
        if (!node.ContainsKey("type"))
            untyped.Add(where);
        if (node.TryGetValue("properties", out var properties))
        {
            foreach (var (name, child) in (Dictionary<object, object>)properties)
                CollectUntyped((Dictionary<object, object>)child, $"{where}.{name}", untyped);
        }
        if (node.TryGetValue("items", out var items))
            CollectUntyped((Dictionary<object, object>)items, where + "[]", untyped);
        if (node.TryGetValue("additionalProperties", out var additional) && additional is Dictionary<object, object> map)
            CollectUntyped(map, where + "{}", untyped);
    }
}
