using System.Text;
using MetalLb.Net.Api.Serialization;

namespace MetalLb.Net.Kube.Rest;

/// <summary>Where a kind lives on the API server: group, version, plural and scope.</summary>
public sealed record ResourceInfo(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    /// <summary>"v1" for the core group, "group/version" otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The resource for a kind the Api project knows (KindRegistry).</summary>
    public static ResourceInfo From(KindInfo kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        string group = KindRegistry.GroupOf(kind.ApiVersion);
        string version = group.Length == 0 ? kind.ApiVersion : kind.ApiVersion[(group.Length + 1)..];
        return new ResourceInfo(group, version, PluralOf(kind.Kind), kind.Kind, kind.Namespaced);
    }

    /// <summary>
    /// The plural the API server uses for a kind, by the same English rules as Kubernetes'
    /// default RESTMapper (lower case; -s → -ses, consonant + y → -ies, else + s).
    /// </summary>
    public static string PluralOf(string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        string lower = kind.ToLowerInvariant();
        if (lower.EndsWith('s'))
            return lower + "es";
        if (lower.EndsWith('y') && lower.Length > 1 && !"aeiou".Contains(lower[^2], StringComparison.Ordinal))
            return lower[..^1] + "ies";
        return lower + "s";
    }

    /// <summary>/api/v1/namespaces/ns/services/name/sub — namespace, name and subresource optional.</summary>
    public string PathFor(string? ns, string? name = null, string? subresource = null)
    {
        var path = new StringBuilder(Group.Length == 0 ? "/api/" : $"/apis/{Group}/");
        path.Append(Version);
        if (Namespaced && !string.IsNullOrEmpty(ns))
            path.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        path.Append('/').Append(Plural);
        if (!string.IsNullOrEmpty(name))
            path.Append('/').Append(Uri.EscapeDataString(name));
        if (!string.IsNullOrEmpty(subresource))
            path.Append('/').Append(subresource);
        return path.ToString();
    }
}
