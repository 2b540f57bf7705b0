using System.Diagnostics;

namespace MetalLb.Net.Lab;

/// <summary>
/// Runs the lab's system tools (ip, nft, arping, vtysh, ...) to completion with a deadline.
/// Tools are found on PATH and in /usr/sbin and /sbin, which a CI shell's PATH may lack; the
/// child gets the same search path, so `ip netns exec NS arping` finds arping too.
/// </summary>
public static class LabShell
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    public static Result Run(string tool, params string[] args) => Run(TimeSpan.FromSeconds(30), tool, args);

    public static Result Run(TimeSpan timeout, string tool, params string[] args)
    {
        using var p = Process.Start(StartInfo(tool, args)) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);   // this child only, by its handle
            p.WaitForExit();
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish in {timeout}");
        }
        return new Result(p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs a setup step; a failure throws with the command and its output.</summary>
    public static string Check(string tool, params string[] args)
    {
        var r = Run(tool, args);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {r.ExitCode}: {r.All}");
        return r.Stdout;
    }

    /// <summary>`ip netns exec NS tool args...` to completion.</summary>
    public static Result InNs(string ns, string tool, params string[] args) =>
        Run("ip", ["netns", "exec", ns, Which(tool) ?? tool, .. args]);

    public static ProcessStartInfo StartInfo(string tool, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(Which(tool) ?? tool)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["PATH"] = string.Join(':', SearchPath);
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        return psi;
    }

    public static string? Which(string tool) =>
        tool.Contains('/', StringComparison.Ordinal) ? tool : SearchPath.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    private static IEnumerable<string> SearchPath =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/lib/frr"]).Distinct();
}
