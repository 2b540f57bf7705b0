namespace MetalLb.Net.Cli.Tests;

/// <summary>Finds files in the repository, wherever the test runs from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MetalLb.Net.sln"))) return dir.FullName;
        throw new InvalidOperationException("MetalLb.Net.sln not found above " + AppContext.BaseDirectory);
    }
}
