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

    public static string? Find(string flavor) => flavor switch
    {
        System133 => Existing("/usr/lib/google-cloud-sdk/bin/kubectl.1.33") ?? OnPath(),
        System132 => Existing("/usr/lib/google-cloud-sdk/bin/kubectl.1.32") ?? OnPath(),
        Npm133 => Existing(Path.Combine(RepoPaths.Root, ".tools", "kubectl-v33", "kubectl")),
        _ => null,
    };

    /// <summary>The binary, or a visible skip; under CI=true a missing kubectl is a failure.</summary>
    public static string Require(string flavor)
    {
        var path = Find(flavor);
        if (path is not null)
            return path;
        var why = $"kubectl ({flavor}) is not installed; run scripts/install/kubectl.sh";
        if (Environment.GetEnvironmentVariable("CI") == "true")
            throw new InvalidOperationException(why);
        throw new SkipException(why);
    }

    private static string? Existing(string path) => File.Exists(path) ? path : null;

    private static string? OnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);
}
