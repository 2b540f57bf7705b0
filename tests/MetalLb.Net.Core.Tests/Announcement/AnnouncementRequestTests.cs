using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;
using static MetalLb.Net.Core.Tests.Announcement.Fixtures;

namespace MetalLb.Net.Core.Tests.Announcement;

public sealed class AnnouncementRequestTests
{
    private static readonly MetalLbConfig Config = new(
        [Pool("pool-a", "10.0.0.0/24"), Pool("pool-b", "10.0.1.0/24", "fd00::/64")],
        [], [], new Dictionary<string, BgpCommunity>(),
        new Dictionary<string, IReadOnlyList<L2AdvertisementConfig>>(),
        new Dictionary<string, IReadOnlyList<BgpAdvertisementConfig>>());

    // Upstream speaker: the metallb.io spelling is read first and wins whenever present.
    public static TheoryData<string, string, string?> SharingKeyCases => new()
    {
        { "no annotation: not shared", "", null },
        { "metallb.io key", "metallb.io/allow-shared-ip=k1", "k1" },
        { "legacy universe.tf key alone", "metallb.universe.tf/allow-shared-ip=k2", "k2" },
        { "both: metallb.io wins", "metallb.io/allow-shared-ip=k1,metallb.universe.tf/allow-shared-ip=k2", "k1" },
        { "metallb.io present but empty still wins", "metallb.io/allow-shared-ip=,metallb.universe.tf/allow-shared-ip=k2", "" },
    };

    [Theory]
    [MemberData(nameof(SharingKeyCases))]
    public void SharingKey(string because, string annotations, string? expected) =>
        Assert.True(expected == Request(annotations: annotations).SharingKey, because);

    // Upstream poolFor (docs/upstream-speaker.md §2 step 2): the pool must contain every ingress IP.
    public static TheoryData<string, string, string?> PoolForCases => new()
    {
        { "single IP in pool-a", "10.0.0.7", "pool-a" },
        { "dual-stack IPs both in pool-b", "10.0.1.7,fd00::7", "pool-b" },
        { "IPs split across two pools: none (ipNotAllowed)", "10.0.0.7,10.0.1.7", null },
        { "IP outside every pool", "192.0.2.1", null },
    };

    [Theory]
    [MemberData(nameof(PoolForCases))]
    public void PoolFor(string because, string ips, string? expected) =>
        Assert.True(expected == AnnouncementRequest.PoolFor(Config, ips.Split(',').Select(IpAddress.Parse).ToList())?.Name, because);

    // Upstream SetBalancer withdraws before asking any protocol (docs/upstream-speaker.md §2 step 1-2).
    public static TheoryData<string, string, string, NotAnnouncedReason?> TryCreateCases => new()
    {
        { "ClusterIP service is not announced", "ClusterIP", "10.0.0.7", NotAnnouncedReason.NotLoadBalancer },
        { "no ingress yet", "LoadBalancer", "", NotAnnouncedReason.NoIngressIp },
        { "unparseable ingress IP", "LoadBalancer", "10.0.0.300", NotAnnouncedReason.InvalidIngressIp },
        { "IP outside every pool: ipNotAllowed", "LoadBalancer", "192.0.2.1", NotAnnouncedReason.IpNotAllowed },
        { "hostname-only ingress entry: invalidIP, as upstream parses every entry", "LoadBalancer", "10.0.0.7,", NotAnnouncedReason.InvalidIngressIp },
        { "valid LoadBalancer service", "LoadBalancer", "10.0.0.7", null },
    };

    private static LoadBalancerIngress Ingress(string ip) =>
        ip.Length == 0 ? new LoadBalancerIngress { Hostname = "lb.example.com" } : new LoadBalancerIngress { IP = ip };

    [Theory]
    [MemberData(nameof(TryCreateCases))]
    public void TryCreate(string because, string type, string ips, NotAnnouncedReason? expected)
    {
        var service = new Service
        {
            Metadata = new ObjectMeta { Namespace = "default", Name = "web" },
            Spec = new ServiceSpec { Type = type, ExternalTrafficPolicy = "Local" },
            Status = new ServiceStatus
            {
                LoadBalancer = new LoadBalancerStatus
                {
                    Ingress = ips.Length == 0 ? [] : ips.Split(',').Select(Ingress).ToList(),
                },
            },
        };

        bool ok = AnnouncementRequest.TryCreate(Config, service, Nodes("node-a"), [], out var request, out var reason);

        Assert.True(expected is null == ok, because);
        if (expected is null)
        {
            Assert.Equal("pool-a", request!.Pool.Name);
            Assert.Equal(TrafficPolicy.Local, request.ExternalTrafficPolicy);
        }
        else
        {
            Assert.Equal(expected, reason);
        }
    }
}
