namespace MetalLb.Net.KubeEmulator.Authorization;

/// <summary>Who sent a request, as kube-apiserver's authenticators name users: a name and groups.</summary>
internal sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string Masters = "system:masters";
    public const string Authenticated = "system:authenticated";

    /// <summary>HttpContext.Items key under which the authenticated user travels to admission (AdmissionReview's userInfo).</summary>
    public const string ItemKey = "metallb-net.user";

    /// <summary>
    /// The holder of <see cref="EmulatorOptions.BearerToken"/> (or anyone, when the emulator does
    /// not authenticate): in system:masters, which the real server lets do anything.
    /// </summary>
    public static readonly UserInfo Admin = new("kubernetes-admin", [Masters, Authenticated]);

    /// <summary>A ServiceAccount's user, with the groups the real token authenticator adds.</summary>
    public static UserInfo ServiceAccount(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", Authenticated]);

    public bool IsMaster => Groups.Contains(Masters);
}
