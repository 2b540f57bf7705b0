namespace MetalLb.Net.KubeEmulator.Http;

/// <summary>
/// Splits a resource URL into its parts:
/// /api/v1[/namespaces/{ns}]/{plural}[/{name}[/{sub}]] and /apis/{group}/{version}/..., plus
/// the old /watch/ prefix. /api/v1/namespaces/{name}[/status] addresses a Namespace itself.
/// </summary>
internal static class PathParser
{
    public sealed record Parts(string Group, string Version, string? Namespace, string Plural, string? Name, string? Subresource, bool Watch);

    public static Parts? Parse(string[] segments)
    {
        string group, version;
        int at;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, at) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, at) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }
        var rest = segments[at..];
        bool watch = false;
        if (rest.Length > 1 && rest[0] == "watch")
        {
            watch = true;
            rest = rest[1..];
        }
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(group.Length == 0 && rest.Length == 3 && rest[2] is "status" or "finalize"))
            return rest.Length > 5 ? null : new Parts(group, version, rest[1], rest[2], At(rest, 3), At(rest, 4), watch);
        return rest.Length > 3 ? null : new Parts(group, version, null, rest[0], At(rest, 1), At(rest, 2), watch);
    }

    private static string? At(string[] a, int i) => i < a.Length ? a[i] : null;
}
