namespace MetalLb.Net.TestKit.ClusterLab;

/// <summary>
/// The executables the lab runs, found as built dlls under src/ (never as project references,
/// so a test project can build before the program it runs exists). Prefer the configuration the
/// tests themselves were built with.
/// </summary>
public static class ClusterBinaries
{
    public static string? Speaker => Find("MetalLb.Net.Speaker", "metallb-net-speaker.dll");

    public static string? Controller => Find("MetalLb.Net.Controller", "metallb-net-controller.dll");

    /// <summary>The dotnet host running the tests (dotnet test sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string Dotnet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : LabShell.Which("dotnet") ?? "dotnet";

    /// <summary>The speaker's dll, or a skip (a failure under CI=true) saying how to build it.</summary>
    public static string RequireSpeaker() =>
        Speaker ?? throw Prerequisite.Missing(
            $"metallb-net-speaker.dll is not built (looked under {Bin("MetalLb.Net.Speaker")}); run `dotnet build src/MetalLb.Net.Speaker -c Release`");

    public static string RequireController() =>
        Controller ?? throw Prerequisite.Missing(
            $"metallb-net-controller.dll is not built (looked under {Bin("MetalLb.Net.Controller")}); run `dotnet build src/MetalLb.Net.Controller -c Release`");

    private static string Bin(string project) => Path.Combine(RepoPaths.Root, "src", project, "bin");

    private static string? Find(string project, string dll)
    {
        // Test binaries live in .../bin/<Configuration>/net10.0/.
        string own = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        return new[] { own, "Release", "Debug" }.Distinct()
            .Select(c => Path.Combine(Bin(project), c, "net10.0", dll))
            .FirstOrDefault(File.Exists);
    }
}
