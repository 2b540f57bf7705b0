namespace MetalLb.Net.Lab;

/// <summary>
/// The executables a lab runs, found as built dlls (never as project references, so a test
/// project or the CLI can build before the program it runs exists): next to the running
/// program (an installed metallb-net), else under src/ of the repository it was built in,
/// preferring the running program's own configuration.
/// </summary>
public static class ClusterBinaries
{
    public static string? Speaker => Find("MetalLb.Net.Speaker", "metallb-net-speaker.dll");

    public static string? Controller => Find("MetalLb.Net.Controller", "metallb-net-controller.dll");

    /// <summary>The dotnet host running us (dotnet test sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string Dotnet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet"
                ? self
                : LabShell.Which("dotnet") ?? "dotnet";

    /// <summary>What to tell someone whose speaker is not built.</summary>
    public static string SpeakerMissing =>
        $"metallb-net-speaker.dll is not built (looked under {Bin("MetalLb.Net.Speaker")}); run `dotnet build src/MetalLb.Net.Speaker -c Release`";

    public static string ControllerMissing =>
        $"metallb-net-controller.dll is not built (looked under {Bin("MetalLb.Net.Controller")}); run `dotnet build src/MetalLb.Net.Controller -c Release`";

    /// <summary>The repository holding the running program (MetalLb.Net.sln above it), or null when installed elsewhere.</summary>
    public static string? RepositoryRoot { get; } = FindRoot();

    private static string Bin(string project) => Path.Combine(RepositoryRoot ?? AppContext.BaseDirectory, "src", project, "bin");

    private static string? Find(string project, string dll)
    {
        string beside = Path.Combine(AppContext.BaseDirectory, dll);
        if (File.Exists(beside))
            return beside;
        if (RepositoryRoot is null)
            return null;
        // Binaries live in .../bin/<Configuration>/net10.0/.
        string own = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        return new[] { own, "Release", "Debug" }.Distinct()
            .Select(c => Path.Combine(Bin(project), c, "net10.0", dll))
            .FirstOrDefault(File.Exists);
    }

    private static string? FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MetalLb.Net.sln")))
            dir = dir.Parent;
        return dir?.FullName;
    }
}
