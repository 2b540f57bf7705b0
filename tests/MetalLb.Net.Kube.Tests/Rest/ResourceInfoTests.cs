using MetalLb.Net.Api.Serialization;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Kube.Tests.Rest;

public sealed class ResourceInfoTests
{
    [Theory]
    [InlineData("Service", "services")]
    [InlineData("Namespace", "namespaces")]
    [InlineData("EndpointSlice", "endpointslices")]
    [InlineData("IPAddressPool", "ipaddresspools")]
    [InlineData("Community", "communities")]
    [InlineData("ServiceL2Status", "servicel2statuses")]
    [InlineData("BGPPeer", "bgppeers")]
    [InlineData("Gateway", "gateways")]
    public void Plurals_follow_the_API_servers_rules(string kind, string plural) =>
        Assert.Equal(plural, ResourceInfo.PluralOf(kind));

    [Fact]
    public void Every_registered_kind_has_the_path_its_CRD_or_the_core_API_serves()
    {
        var paths = KindRegistry.All.Select(k => ResourceInfo.From(k).PathFor("ns", "n")).ToList();
        Assert.Contains("/api/v1/namespaces/ns/services/n", paths);
        Assert.Contains("/api/v1/nodes/n", paths);   // cluster-scoped: the namespace is dropped
        Assert.Contains("/apis/metallb.io/v1beta2/namespaces/ns/bgppeers/n", paths);
        Assert.Contains("/apis/coordination.k8s.io/v1/namespaces/ns/leases/n", paths);
        Assert.Contains("/apis/discovery.k8s.io/v1/namespaces/ns/endpointslices/n", paths);
    }

    [Fact]
    public void Status_and_list_paths()
    {
        ResourceInfo pools = ResourceInfo.From(KindRegistry.Find("metallb.io/v1beta1", "IPAddressPool")!);
        Assert.Equal("/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools/p/status", pools.PathFor("metallb-system", "p", "status"));
        Assert.Equal("/apis/metallb.io/v1beta1/ipaddresspools", pools.PathFor(null));
        Assert.Equal("metallb.io/v1beta1", pools.ApiVersion);
    }

    [Fact]
    public void Query_strings_escape_selectors_and_keep_watch_and_list_options_apart()
    {
        var options = new ListOptions { LabelSelector = "app in (a,b)", Limit = 5, Continue = "x/y", ResourceVersion = "9", AllowWatchBookmarks = true, TimeoutSeconds = 60 };
        Assert.Equal("?labelSelector=app%20in%20%28a%2Cb%29&resourceVersion=9&limit=5&continue=x%2Fy", QueryString.For(options, watch: false));
        Assert.Equal("?watch=true&labelSelector=app%20in%20%28a%2Cb%29&resourceVersion=9&allowWatchBookmarks=true&timeoutSeconds=60", QueryString.For(options, watch: true));
        Assert.Equal("", QueryString.For(null, watch: false));
    }
}
