using System.Text.RegularExpressions;

namespace MetalLb.Net.KubeEmulator.Types;

/// <summary>
/// Kubernetes' version priority (GA before beta before alpha, higher numbers first): the
/// preferred version of a group is the highest, so v1 beats v1beta2 beats v1beta1.
/// </summary>
internal static partial class KubeVersion
{
    public static long Priority(string version)
    {
        var m = Pattern().Match(version);
        if (!m.Success)
            return 0;
        long major = long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        long stage = m.Groups[2].Value switch { "" => 3, "beta" => 2, _ => 1 };
        long minor = m.Groups[3].Success ? long.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (stage * 1_000_000) + (major * 1000) + minor;
    }

    [GeneratedRegex(@"^v(\d+)(alpha|beta|)(\d+)?$")]
    private static partial Regex Pattern();
}
