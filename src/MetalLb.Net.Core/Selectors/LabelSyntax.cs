using System.Text.RegularExpressions;

namespace MetalLb.Net.Core.Selectors;

/// <summary>Kubernetes label key and value syntax (qualified names, DNS-1123 prefixes).</summary>
public static partial class LabelSyntax
{
    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex NamePart();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    /// <summary>A key is [prefix/]name: name ≤ 63 characters, prefix a DNS subdomain ≤ 253.</summary>
    public static bool IsValidKey(string? key, out string error)
    {
        error = "";
        key ??= "";
        string name = key;
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            string prefix = key[..slash];
            name = key[(slash + 1)..];
            if (prefix.Length is 0 or > 253 || !DnsSubdomain().IsMatch(prefix))
            {
                error = $"invalid label key \"{key}\": the prefix must be a DNS subdomain (lowercase letters, digits, '-' and '.')";
                return false;
            }
        }
        if (name.Length is 0 or > 63 || !NamePart().IsMatch(name))
        {
            error = $"invalid label key \"{key}\": a name must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
            return false;
        }
        return true;
    }

    /// <summary>A value is empty, or ≤ 63 characters with the same alphabet as a name.</summary>
    public static bool IsValidValue(string? value, out string error)
    {
        error = "";
        if (string.IsNullOrEmpty(value)) return true;
        if (value.Length <= 63 && NamePart().IsMatch(value)) return true;
        error = $"invalid label value \"{value}\": must be at most 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
        return false;
    }
}
