using System.Globalization;
using MetalLb.Net.Api.MetalLb;

namespace MetalLb.Net.Core.Config;

/// <summary>Why a community string did not parse: B4 treats the two differently.</summary>
public enum CommunityParseError
{
    None,

    /// <summary>Not "A:B" nor "large:A:B:C" in shape ("1234", "foo"): may be an alias not yet defined.</summary>
    Format,

    /// <summary>The right shape but a bad number or prefix ("99999999:1", "larg:1:2:3").</summary>
    Value,
}

/// <summary>Community objects (docs/upstream-controller.md §3.2): C1 values parse, C2 alias names unique.</summary>
public static class CommunityParser
{
    /// <summary>
    /// Parses a literal: two fields → standard (each 0..65535); four fields whose first is
    /// "large" → large (each 0..2^32-1); any other field count is a format error.
    /// </summary>
    public static CommunityParseError TryParse(string? text, out BgpCommunity community, out string error)
    {
        community = default;
        error = "";
        var fields = (text ?? "").Split(':');
        if (fields.Length == 2)
        {
            if (ushort.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out ushort high)
                && ushort.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out ushort low))
            {
                community = BgpCommunity.Standard(high, low);
                return CommunityParseError.None;
            }
            error = $"invalid community value \"{text}\": both parts of a standard community must be numbers in 0-65535";
            return CommunityParseError.Value;
        }
        if (fields.Length == 4)
        {
            if (fields[0] != "large")
            {
                error = $"invalid community value \"{text}\": a large community must start with \"large:\"";
                return CommunityParseError.Value;
            }
            var parts = new uint[3];
            for (int i = 0; i < 3; i++)
            {
                if (!uint.TryParse(fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out parts[i]))
                {
                    error = $"invalid community value \"{text}\": each part of a large community must be a number in 0-4294967295";
                    return CommunityParseError.Value;
                }
            }
            community = BgpCommunity.Large(parts[0], parts[1], parts[2]);
            return CommunityParseError.None;
        }
        error = $"invalid community format \"{text}\": use \"A:B\" or \"large:A:B:C\"";
        return CommunityParseError.Format;
    }

    /// <summary>
    /// Builds the alias table from Community objects in name order. Every alias name seen is
    /// added to <paramref name="declared"/>, valid or not, so advertisements that use a broken
    /// alias are not blamed a second time for an "unknown" alias.
    /// </summary>
    internal static Dictionary<string, BgpCommunity> Parse(
        IReadOnlyList<Community> communities, HashSet<string> declared, List<ConfigError> errors)
    {
        var aliases = new Dictionary<string, BgpCommunity>(StringComparer.Ordinal);
        foreach (var c in communities)
        {
            string name = c.Metadata.Name ?? "";
            foreach (var alias in c.Spec.Communities ?? [])
            {
                string aliasName = alias.Name ?? "";
                // C2: unique across all Community objects; the later object (name order) is blamed.
                if (!declared.Add(aliasName))
                {
                    errors.Add(new ConfigError(ConfigKinds.Community, name, $"duplicate definition of community \"{aliasName}\""));
                    continue;
                }
                // C1: the value must be a literal; an alias cannot point at another alias.
                if (TryParse(alias.Value, out var value, out string error) != CommunityParseError.None)
                {
                    errors.Add(new ConfigError(ConfigKinds.Community, name, $"parsing community \"{aliasName}\": {error}"));
                    continue;
                }
                aliases[aliasName] = value;
            }
        }
        return aliases;
    }
}
