namespace MetalLb.Net.TestKit;

/// <summary>Where the repository's files are, found from the test binary's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Crds => Path.Combine(Root, "deploy", "crds");

    public static string Samples => Path.Combine(Root, "deploy", "samples");

    public static string Tools => Path.Combine(Root, ".tools");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MetalLb.Net.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MetalLb.Net.sln not found above the test binaries");
    }
}
