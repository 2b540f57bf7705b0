using MetalLb.Net.Api.Tests.Crds;
using static MetalLb.Net.Api.Tests.Crds.ParsedCrd;

namespace MetalLb.Net.Api.Tests;

/// <summary>What kubectl shows and what the API server enforces beyond types: columns, CEL, merge hints.</summary>
public sealed class CrdPresentationTests
{
    public static TheoryData<string, string, string[]> Columns => new()
    {
        { "ipaddresspools", "v1beta1", ["Auto Assign", "Avoid Buggy IPs", "Addresses"] },
        { "l2advertisements", "v1beta1", ["IPAddressPools", "IPAddressPool Selectors", "Interfaces", "Node Selectors"] },
        { "bgpadvertisements", "v1beta1", ["IPAddressPools", "IPAddressPool Selectors", "Peers", "Node Selectors"] },
        { "bgppeers", "v1beta1", ["Address", "ASN", "BFD Profile", "Multi Hops"] },
        { "bgppeers", "v1beta2", ["Address", "ASN", "BFD Profile", "Multi Hops"] },
        { "bfdprofiles", "v1beta1", ["Passive Mode", "Transmit Interval", "Receive Interval", "Multiplier"] },
        { "servicel2statuses", "v1beta1", ["Allocated Node", "Service Name", "Service Namespace"] },
        { "servicebgpstatuses", "v1beta1", ["Node", "Service Name", "Service Namespace"] },
        { "configurationstates", "v1beta1", ["Result", "ErrorSummary", "Age"] },
    };

    [Theory]
    [MemberData(nameof(Columns))]
    public void Printer_columns_in_upstream_order(string plural, string version, string[] expected)
    {
        var columns = List(ForPlural(plural).Version(version), "additionalPrinterColumns").Cast<Dictionary<object, object>>();

        Assert.Equal(expected, columns.Select(c => (string)c["name"]));
    }

    [Fact]
    public void Printer_columns_point_at_schema_fields()
    {
        var pool = ForPlural("ipaddresspools");
        var columns = List(pool.Version("v1beta1"), "additionalPrinterColumns").Cast<Dictionary<object, object>>().ToList();

        Assert.Equal([".spec.autoAssign", ".spec.avoidBuggyIPs", ".spec.addresses"], columns.Select(c => (string)c["jsonPath"]));
        Assert.Equal(["boolean", "boolean", "string"], columns.Select(c => (string)c["type"]));
        foreach (var column in columns)
            _ = pool.Property("v1beta1", ((string)column["jsonPath"]).TrimStart('.')); // throws when absent
    }

    [Fact]
    public void Node_selector_columns_only_in_wide_output()
    {
        var columns = List(ForPlural("l2advertisements").Version("v1beta1"), "additionalPrinterColumns")
            .Cast<Dictionary<object, object>>().ToList();

        Assert.Equal("10", columns.Single(c => (string)c["name"] == "Node Selectors")["priority"]);
        Assert.All(columns.Where(c => (string)c["name"] != "Node Selectors"), c => Assert.False(c.ContainsKey("priority")));
    }

    [Fact]
    public void Graceful_restart_cannot_change_after_creation()
    {
        var rules = Rules(ForPlural("bgppeers").Property("v1beta2", "spec.enableGracefulRestart"));

        Assert.Equal(["self == oldSelf"], rules.Select(r => r.Rule));
    }

    [Fact]
    public void Connect_time_is_checked_by_CEL()
    {
        var rules = Rules(ForPlural("bgppeers").Property("v1beta2", "spec.connectTime"));

        Assert.Equal(2, rules.Count);
        Assert.Contains(rules, r => r.Rule.Contains("getSeconds() <= 65535", StringComparison.Ordinal));
        Assert.Contains(rules, r => r.Rule.Contains("% 1000 == 0", StringComparison.Ordinal));
        Assert.All(rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
    }

    [Fact]
    public void Service_selectors_need_default_aggregation_lengths()
    {
        var rule = Assert.Single(Rules(ForPlural("bgpadvertisements").Property("v1beta1", "spec")));

        Assert.Contains("self.serviceSelectors", rule.Rule, StringComparison.Ordinal);
        Assert.Contains("self.aggregationLength == 32", rule.Rule, StringComparison.Ordinal);
        Assert.Contains("self.aggregationLengthV6 == 128", rule.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("servicel2statuses")]
    [InlineData("servicebgpstatuses")]
    public void Status_identity_fields_are_immutable(string plural)
    {
        foreach (var field in new[] { "node", "serviceName", "serviceNamespace" })
        {
            var rules = Rules(ForPlural(plural).Property("v1beta1", "status." + field));
            Assert.Equal(["self == oldSelf"], rules.Select(r => r.Rule));
        }
    }

    [Fact]
    public void Label_selectors_have_the_kubernetes_shape()
    {
        var selector = ForPlural("l2advertisements").Property("v1beta1", "spec.nodeSelectors[]");
        var expressions = ParsedCrd.Map(ParsedCrd.Map(selector, "properties"), "matchExpressions");
        var labels = ParsedCrd.Map(ParsedCrd.Map(selector, "properties"), "matchLabels");

        Assert.Equal("atomic", selector["x-kubernetes-map-type"]);
        Assert.Equal("atomic", expressions["x-kubernetes-list-type"]);
        Assert.Equal(["key", "operator"], List(ParsedCrd.Map(expressions, "items"), "required"));
        Assert.Equal("string", ParsedCrd.Map(labels, "additionalProperties")["type"]);
        Assert.Equal("atomic", ForPlural("bgppeers").Property("v1beta2", "spec.passwordSecret")["x-kubernetes-map-type"]);
    }

    [Fact]
    public void Legacy_v1beta1_selectors_keep_their_own_shape()
    {
        var values = ForPlural("bgppeers").Property("v1beta1", "spec.nodeSelectors[].matchExpressions[].values");

        Assert.Equal("1", values["minItems"]);
        Assert.False(ForPlural("bgppeers").Property("v1beta1", "spec.nodeSelectors[]").ContainsKey("x-kubernetes-map-type"));
    }

    [Fact]
    public void Conditions_merge_by_type()
    {
        var conditions = ForPlural("configurationstates").Property("v1beta1", "status.conditions");

        Assert.Equal("map", conditions["x-kubernetes-list-type"]);
        Assert.Equal(["type"], List(conditions, "x-kubernetes-list-map-keys"));
        Assert.Equal("date-time", ForPlural("configurationstates").Property("v1beta1", "status.conditions[].lastTransitionTime")["format"]);
    }

    private static List<(string Rule, string Message)> Rules(Dictionary<object, object> node) =>
        List(node, "x-kubernetes-validations").Cast<Dictionary<object, object>>()
            .Select(r => ((string)r["rule"], (string)r["message"])).ToList();
}
