using MetalLb.Net.Core.Config;
using static MetalLb.Net.Core.Tests.Config.B;

namespace MetalLb.Net.Core.Tests.Config;

public class CommunityParserTests
{
    public static TheoryData<string, string, bool, string, CommunityParseError> Literals => new()
    {
        { "C1 standard", "65535:65282", false, "65535:65282", CommunityParseError.None },
        { "C1 large", "large:1:2:3", true, "large:1:2:3", CommunityParseError.None },
        { "C1 large at the 32-bit limit", "large:4294967295:0:4294967295", true, "large:4294967295:0:4294967295", CommunityParseError.None },
        { "C1 standard part above 65535 is a bad value", "65536:1", false, "", CommunityParseError.Value },
        { "C1 non-numeric part is a bad value", "a:1", false, "", CommunityParseError.Value },
        { "C1 large prefix misspelt is a bad value", "larg:1:2:3", false, "", CommunityParseError.Value },
        { "C1 large part above 2^32-1 is a bad value", "large:4294967296:1:1", false, "", CommunityParseError.Value },
        { "C1 one field is a bad format", "1234", false, "", CommunityParseError.Format },
        { "C1 three fields is a bad format", "1:2:3", false, "", CommunityParseError.Format },
        { "C1 a word is a bad format", "foo", false, "", CommunityParseError.Format },
    };

    [Theory]
    [MemberData(nameof(Literals))]
    public void Literals_parse_as_upstream(string rule, string text, bool large, string printed, CommunityParseError expected)
    {
        var outcome = CommunityParser.TryParse(text, out var community, out string error);
        Assert.Equal(expected, outcome);
        if (expected == CommunityParseError.None)
        {
            Assert.Equal(large, community.IsLarge);
            Assert.Equal(printed, community.ToString());
        }
        else
        {
            Assert.Contains(text, error, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(rule));
        }
    }

    [Fact]
    public void C1_bad_alias_value_blames_the_community_and_blocks_pools()
    {
        var result = ConfigParser.Parse(Input(i => i with { Communities = [Community("comms", ("bad", "99999:1"))] }));
        ConfigAssert.SingleError(result, ConfigKinds.Community, "comms", "parsing community \"bad\"");
        Assert.Null(result.Pools);
    }

    [Fact]
    public void C2_duplicate_alias_across_objects_blames_the_later_object()
    {
        var result = ConfigParser.Parse(Input(i => i with
        {
            Communities = [Community("second", ("a", "1:2")), Community("first", ("a", "1:3"))],
        }));
        ConfigAssert.SingleError(result, ConfigKinds.Community, "second", "duplicate definition of community \"a\"");
    }

    [Fact]
    public void Aliases_are_resolved_into_the_configuration()
    {
        var config = ConfigAssert.Valid(ConfigParser.Parse(Input(i => i with
        {
            Communities = [Community("comms", ("no-advertise", "65535:65282"), ("big", "large:1:2:3"))],
        })));
        Assert.Equal(BgpCommunity.Standard(65535, 65282), config.CommunityAliases["no-advertise"]);
        Assert.Equal(BgpCommunity.Large(1, 2, 3), config.CommunityAliases["big"]);
    }
}
