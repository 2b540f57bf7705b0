using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Tests.Config;

/// <summary>Small builders for the API objects the parser reads; tests stay free of YAML.</summary>
internal static class B
{
    public static ObjectMeta Meta(string name, Dictionary<string, string>? labels = null) =>
        new() { Name = name, Namespace = "metallb-system", Labels = labels };

    public static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    public static LabelSelector Sel(params string[] pairs) => new() { MatchLabels = Labels(pairs) };

    public static LabelSelector Expr(string key, string op, params string[] values) =>
        new() { MatchExpressions = [new LabelSelectorRequirement { Key = key, Operator = op, Values = [.. values] }] };

    public static IPAddressPool Pool(string name, params string[] addresses) =>
        new() { Metadata = Meta(name), Spec = new IPAddressPoolSpec { Addresses = [.. addresses] } };

    public static IPAddressPool With(this IPAddressPool pool, Action<IPAddressPoolSpec> change)
    {
        change(pool.Spec);
        return pool;
    }

    public static IPAddressPool Labelled(this IPAddressPool pool, params string[] pairs)
    {
        pool.Metadata.Labels = Labels(pairs);
        return pool;
    }

    public static Community Community(string name, params (string Alias, string Value)[] aliases) =>
        new()
        {
            Metadata = Meta(name),
            Spec = new CommunitySpec { Communities = aliases.Select(a => new CommunityAlias { Name = a.Alias, Value = a.Value }).ToList() },
        };

    public static L2Advertisement L2(string name, Action<L2AdvertisementSpec>? change = null)
    {
        var ad = new L2Advertisement { Metadata = Meta(name) };
        change?.Invoke(ad.Spec);
        return ad;
    }

    public static BGPAdvertisement Bgp(string name, Action<BGPAdvertisementSpec>? change = null)
    {
        var ad = new BGPAdvertisement { Metadata = Meta(name) };
        change?.Invoke(ad.Spec);
        return ad;
    }

    public static BGPPeer Peer(string name, Action<BGPPeerSpec>? change = null)
    {
        var peer = new BGPPeer { Metadata = Meta(name), Spec = new BGPPeerSpec { MyASN = 64500, PeerASN = 64501, PeerAddress = "192.0.2.1" } };
        change?.Invoke(peer.Spec);
        return peer;
    }

    public static BFDProfile Bfd(string name, Action<BFDProfileSpec>? change = null)
    {
        var profile = new BFDProfile { Metadata = Meta(name) };
        change?.Invoke(profile.Spec);
        return profile;
    }

    public static Secret Secret(string name, string type, Dictionary<string, string>? data = null, Dictionary<string, string>? stringData = null) =>
        new() { Metadata = Meta(name), Type = type, Data = data, StringData = stringData };

    public static Node Node(string name, params string[] labels) => new() { Metadata = new ObjectMeta { Name = name, Labels = Labels(labels) } };

    public static Namespace Namespace(string name, params string[] labels) => new() { Metadata = new ObjectMeta { Name = name, Labels = Labels(labels) } };

    /// <summary>A valid pool so inputs about other kinds have something to attach to.</summary>
    public static ConfigInput Input(Func<ConfigInput, ConfigInput>? change = null)
    {
        var input = new ConfigInput { Pools = [Pool("default", "192.0.2.0/24")] };
        return change is null ? input : change(input);
    }
}

/// <summary>Assertions shared by the table tests.</summary>
internal static class ConfigAssert
{
    /// <summary>Exactly one error, blaming kind/name, whose message contains <paramref name="text"/>.</summary>
    public static ConfigError SingleError(ConfigResult result, string kind, string name, string text)
    {
        var error = Assert.Single(result.Errors);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(name, error.Name);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.Null(result.Config);
        Assert.False(result.IsValid);
        return error;
    }

    public static MetalLbConfig Valid(ConfigResult result)
    {
        Assert.Empty(result.Errors);
        Assert.NotNull(result.Config);
        Assert.NotNull(result.Pools);
        return result.Config;
    }
}
