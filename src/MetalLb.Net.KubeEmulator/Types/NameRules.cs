using System.Text.RegularExpressions;
using MetalLb.Net.KubeEmulator.Http;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Types;

/// <summary>
/// Object names: a DNS-1123 subdomain for most kinds, a DNS-1123 label for Namespaces and
/// Services (they become DNS names), a path segment for RBAC kinds (upstream's own ClusterRoles
/// are named "system:..."), with the real server's messages.
/// </summary>
internal static partial class NameRules
{
    public static FieldError? Check(ResourceType type, string name)
    {
        if (type.Group == "rbac.authorization.k8s.io")
        {
            // Kubernetes' ValidatePathSegmentName: anything that can sit in one URL segment.
            if (name is "." or ".." || name.IndexOfAny(['/', '%']) >= 0)
                return FieldError.Invalid("metadata.name", $"\"{name}\"", name is "." or ".."
                    ? $"may not be '{name}'" : $"may not contain '{(name.Contains('/', StringComparison.Ordinal) ? '/' : '%')}'");
            return null;
        }
        bool label = type.Key is "namespaces" or "services";
        if (label)
        {
            if (name.Length > 63 || !Label().IsMatch(name))
                return FieldError.Invalid("metadata.name", $"\"{name}\"",
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
            return null;
        }
        if (name.Length > 253 || !Subdomain().IsMatch(name))
            return FieldError.Invalid("metadata.name", $"\"{name}\"",
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        return null;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
