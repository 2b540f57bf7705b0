using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Announcement;

namespace MetalLb.Net.Core.Tests.Announcement;

public sealed class EndpointViewTests
{
    // Upstream epslices.EndpointCanServe (docs/upstream-speaker.md §2.1): ready nil/true, else serving true.
    public static TheoryData<string, bool?, bool?, bool> CanServeCases => new()
    {
        { "no ready condition counts as ready", null, null, true },
        { "ready=true serves", true, null, true },
        { "ready=true, serving=false still serves (ready wins)", true, false, true },
        { "ready=false, serving=true serves (terminating but serving)", false, true, true },
        { "ready=false, serving=false does not serve", false, false, false },
        { "ready=false, serving unset does not serve", false, null, false },
    };

    [Theory]
    [MemberData(nameof(CanServeCases))]
    public void CanServe(string because, bool? ready, bool? serving, bool expected) =>
        Assert.True(expected == EndpointView.CanServe(new EndpointConditions { Ready = ready, Serving = serving }), because);

    [Fact]
    public void Endpoint_without_conditions_can_serve() => Assert.True(EndpointView.CanServe(null));

    [Fact]
    public void FromSlices_keeps_only_the_services_own_slices()
    {
        var slices = new[]
        {
            Slice("default", "web", new Endpoint { NodeName = "node-a", Addresses = ["10.1.0.1"] },
                new Endpoint { NodeName = "node-b", Addresses = [], Conditions = new() { Ready = false, Serving = true } }),
            Slice("default", "db", new Endpoint { NodeName = "node-c", Addresses = ["10.1.0.3"] }),
            Slice("other", "web", new Endpoint { NodeName = "node-d", Addresses = ["10.1.0.4"] }),
            Slice("default", "web", new Endpoint { Addresses = ["10.1.0.5"], Conditions = new() { Ready = false } }),
        };

        var view = EndpointView.FromSlices("default", "web", slices);

        Assert.Equal(
            [new("node-a", true, true), new("node-b", true, false), new(null, false, true)],
            view.Endpoints);
        Assert.True(view.ServesOnNode("node-b"));                 // L2 Local: addresses not checked
        Assert.False(view.ServesWithAddressOnNode("node-b"));     // BGP Local: needs an address
        Assert.False(view.ServesOnNode("node-c"));                // another service's slice
    }

    private static EndpointSlice Slice(string ns, string service, params Endpoint[] endpoints) => new()
    {
        Metadata = new ObjectMeta
        {
            Namespace = ns,
            Name = service + "-abc",
            Labels = new() { [EndpointSlice.ServiceNameLabel] = service },
        },
        Endpoints = [.. endpoints],
    };
}
