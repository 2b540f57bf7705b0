namespace MetalLb.Net.KubeEmulator;

/// <summary>
/// One RBAC decision about a ServiceAccount's request (<see cref="EmulatorOptions.AuthorizationLog"/>):
/// who, which verb on which resource or path, and whether it was allowed. Tests use it to show a
/// program got 403 for exactly the permission they took away, and that every permission given
/// was used.
/// </summary>
public sealed record AuthorizationRecord(
    string User, string Verb, bool IsResourceRequest, string Group, string Resource, string? Subresource,
    string? Namespace, string? Name, string Path, bool Allowed, string Message);
