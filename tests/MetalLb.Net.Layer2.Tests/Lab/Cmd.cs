using System.Diagnostics;

namespace MetalLb.Net.Layer2.Tests.Lab;

/// <summary>Runs a command to completion with a deadline and captures its output.</summary>
internal static class Cmd
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    public static Result Run(string file, params string[] args) => Run(TimeSpan.FromSeconds(30), file, args);

    public static Result Run(TimeSpan timeout, string file, params string[] args)
    {
        var psi = StartInfo(file, args);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true); // this process only, by its handle
            p.WaitForExit();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}");
        }
        return new Result(p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>
    /// A start info for a tool by name, found on PATH or in /usr/sbin and /sbin (ip, arping and
    /// tcpdump live there, and a CI shell's PATH may lack them); the child gets the same search
    /// path, so `ip netns exec NS arping` finds arping too.
    /// </summary>
    public static ProcessStartInfo StartInfo(string tool, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(Which(tool) ?? tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["PATH"] = string.Join(':', SearchPath);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        return psi;
    }

    public static string? Which(string tool) =>
        SearchPath.Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);

    private static IEnumerable<string> SearchPath =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]).Distinct();

    /// <summary>Runs and throws with the command's output when it fails: for setup steps.</summary>
    public static string Check(string file, params string[] args)
    {
        var r = Run(file, args);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {r.ExitCode}: {r.All}");
        return r.Stdout;
    }
}
