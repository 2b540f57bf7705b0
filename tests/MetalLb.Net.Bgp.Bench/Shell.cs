using System.Diagnostics;

namespace MetalLb.Net.Bgp.Bench;

/// <summary>Commands, namespaces and daemons for the benchmark; everything started is stopped by PID.</summary>
internal sealed class Shell : IDisposable
{
    private readonly List<Process> _daemons = [];
    private readonly List<string> _namespaces = [];

    public static string Run(string file, string args, bool check = true)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill();
            throw new TimeoutException($"{file} {args}");
        }
        if (check && p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {args}: exit {p.ExitCode}: {error.Result}");
        return output.Result;
    }

    public string Namespace(string name)
    {
        Run("ip", $"netns add {name}");
        _namespaces.Add(name);
        Run("ip", $"-n {name} link set lo up");
        return name;
    }

    public static void Link(string nsA, string a4, string nsB, string b4, string devA, string devB)
    {
        Run("ip", $"link add {devA} netns {nsA} type veth peer name {devB} netns {nsB}");
        Run("ip", $"-n {nsA} addr add {a4}/24 dev {devA}");
        Run("ip", $"-n {nsB} addr add {b4}/24 dev {devB}");
        Run("ip", $"-n {nsA} link set {devA} up");
        Run("ip", $"-n {nsB} link set {devB} up");
    }

    public Process Daemon(string ns, string command)
    {
        var p = Process.Start(new ProcessStartInfo("ip", $"netns exec {ns} {command}") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _daemons.Add(p);
        return p;
    }

    public void Dispose()
    {
        foreach (var p in _daemons)
        {
            if (!p.HasExited)
            {
                Run("kill", $"-TERM {p.Id}", check: false);
                if (!p.WaitForExit(10_000))
                    p.Kill();
            }
            p.Dispose();
        }
        foreach (var ns in _namespaces)
            Run("ip", $"netns del {ns}", check: false);
    }
}
