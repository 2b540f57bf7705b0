namespace MetalLb.Net.Core.Config;

/// <summary>
/// The Community aliases, plus every alias name declared (even with a bad value), for
/// resolving BGPAdvertisement.spec.communities (docs/upstream-controller.md B4).
/// </summary>
internal sealed class CommunityTable(IReadOnlyDictionary<string, BgpCommunity> aliases, IReadOnlySet<string> declared)
{
    public IReadOnlyDictionary<string, BgpCommunity> Aliases => aliases;

    /// <summary>
    /// An alias name wins over a literal, as upstream looks the alias up first. A literal with a
    /// bad value is a hard error; a bad format that names no alias is transient (the Community
    /// may be created later). A declared alias whose value is broken yields false with a null
    /// error: that is blamed on the Community already.
    /// </summary>
    public bool TryResolve(string text, out BgpCommunity value, out string? error, out bool transient)
    {
        error = null;
        transient = false;
        if (aliases.TryGetValue(text, out value)) return true;
        if (declared.Contains(text)) return false;
        switch (CommunityParser.TryParse(text, out value, out string parseError))
        {
            case CommunityParseError.None:
                return true;
            case CommunityParseError.Value:
                error = $"invalid community \"{text}\" in BGP advertisement: {parseError}";
                return false;
            default:
                error = $"invalid community \"{text}\" in BGP advertisement: it is not a literal (\"A:B\" or \"large:A:B:C\") and no Community object defines an alias of that name";
                transient = true;
                return false;
        }
    }
}
