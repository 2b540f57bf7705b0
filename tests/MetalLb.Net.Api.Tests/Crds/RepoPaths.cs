namespace MetalLb.Net.Api.Tests.Crds;

/// <summary>Finds the checkout the tests run from, so they can read and refresh deploy/crds.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string CrdDirectory => Path.Combine(Root, "deploy", "crds");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MetalLb.Net.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException(
            $"No MetalLb.Net.sln above {AppContext.BaseDirectory}; run the tests from a checkout.");
    }
}
