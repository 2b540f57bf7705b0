using Xunit;

namespace MetalLb.Net.TestKit;

/// <summary>
/// A tool a test needs (kubectl, promtool, a BGP daemon). Missing, the test is skipped visibly
/// on a developer's machine, and fails under CI=true, where scripts/install has run and a
/// missing tool means the install is broken.
/// </summary>
public static class Prerequisite
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns the path, or skips (fails in CI) saying how to install it.</summary>
    public static string Require(string? path, string what, string install)
    {
        if (path is not null && File.Exists(path))
            return path;
        throw Missing($"{what} is not installed; run {install}");
    }

    /// <summary>
    /// The exception for a prerequisite that is not there (root, a tool, a source package):
    /// a skip saying <paramref name="why"/>, or under CI=true a failure. Callers throw it.
    /// </summary>
    public static Exception Missing(string why) =>
        InCi ? new InvalidOperationException(why) : new SkipException(why);

    /// <summary>
    /// A command-line tool by name (taskset, nstat, ss, zebra): its path from
    /// <paramref name="candidates"/>, PATH or the sbin folders a CI shell's PATH may lack, or a
    /// skip (a failure under CI=true) naming the installer.
    /// </summary>
    public static string Tool(string name, string install, params string[] candidates) =>
        Require(Find(name, [.. candidates, .. SystemDirs.Select(d => Path.Combine(d, name))]), name, install);

    /// <summary>Root, for tests that create namespaces or open raw sockets; else a skip (a failure under CI=true).</summary>
    public static void Root(string install)
    {
        if (!Environment.IsPrivilegedProcess)
            throw Missing($"needs root (CAP_NET_ADMIN, CAP_NET_RAW); run the tests as root after {install}");
    }

    private static readonly string[] SystemDirs = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>The first of <paramref name="candidates"/> that exists, else the name looked up on PATH.</summary>
    public static string? Find(string name, params string[] candidates) =>
        candidates.FirstOrDefault(File.Exists)
        ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
