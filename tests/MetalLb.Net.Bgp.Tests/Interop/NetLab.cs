using System.Diagnostics;
using System.Net;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>
/// Network namespaces joined by veth pairs, and peer daemons inside them, for one test. Names
/// carry a unique prefix; Dispose stops every process it started by PID and deletes its
/// namespaces, also when the test failed. Documentation addresses only.
/// </summary>
internal sealed class NetLab : IDisposable
{
    private static int _counter;
    private readonly List<string> _namespaces = [];
    private readonly List<Process> _processes = [];
    private readonly List<IDisposable> _owned = [];
    private int _links;

    public NetLab()
    {
        Prefix = $"mb{Environment.ProcessId % 10000:x}{Interlocked.Increment(ref _counter):x}";
        Dir = Directory.CreateTempSubdirectory($"{Prefix}-").FullName;
    }

    public string Prefix { get; }
    public string Dir { get; }

    /// <summary>
    /// Skips (or under CI=true fails) when we are not root or a tool is missing, through TestKit's
    /// Prerequisite like every other suite. FRR's daemons (bgpd, zebra) live in /usr/lib/frr.
    /// </summary>
    public static void Require(params string[] tools)
    {
        const string Install = "scripts/install/bgp-peers.sh";
        Prerequisite.Root(Install);
        foreach (var t in tools.Append("ip"))
            Prerequisite.Tool(t, Install, Path.Combine("/usr/lib/frr", t));
    }

    public string Namespace(string name)
    {
        var ns = Prefix + name;
        Run("ip", $"netns add {ns}");
        _namespaces.Add(ns);
        Run("ip", $"-n {ns} link set lo up");
        return ns;
    }

    /// <summary>A veth between two namespaces with an IPv4 /24 and an IPv6 /64 on each end (no DAD, so v6 is usable at once).</summary>
    /// <returns>The two device names, for adding addresses later.</returns>
    public (string DeviceA, string DeviceB) Link(string nsA, string addrA4, string addrA6, string nsB, string addrB4, string addrB6)
    {
        var a = $"{nsA}x{_links}";
        var b = $"{nsB}y{_links}";
        _links++;
        Run("ip", $"link add {a} netns {nsA} type veth peer name {b} netns {nsB}");
        foreach (var (ns, dev, v4, v6) in new[] { (nsA, a, addrA4, addrA6), (nsB, b, addrB4, addrB6) })
        {
            Run("ip", $"-n {ns} addr add {v4}/24 dev {dev}");
            Run("ip", $"-n {ns} addr add {v6}/64 dev {dev} nodad");
            Run("ip", $"-n {ns} link set {dev} up");
        }
        return (a, b);
    }

    public NetnsThread Thread(string ns)
    {
        var t = new NetnsThread(ns);
        _owned.Add(t);
        return t;
    }

    /// <summary>Runs a command to completion (30 s at most) and returns its stdout; throws with stderr on failure.</summary>
    public static string Run(string file, string args, bool check = true)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000))
        {
            p.Kill();
            throw new TimeoutException($"{file} {args} did not finish");
        }
        if (check && p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {args} exited {p.ExitCode}: {stderr.Result}{stdout.Result}");
        return stdout.Result;
    }

    public static string InNs(string ns, string command, bool check = true) => Run("ip", $"netns exec {ns} {command}", check);

    /// <summary>Starts a long-running daemon in <paramref name="ns"/>, output to a log file in <see cref="Dir"/>.</summary>
    public Process Start(string ns, string command, string logName)
    {
        var log = Path.Combine(Dir, logName);
        var p = Process.Start(new ProcessStartInfo("ip", $"netns exec {ns} {command}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        _processes.Add(p);
        var writer = new StreamWriter(log) { AutoFlush = true };
        _owned.Add(writer);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Stops a process we started, by its PID.</summary>
    public static void Stop(Process p, string signal = "TERM")
    {
        if (p.HasExited)
            return;
        Run("kill", $"-{signal} {p.Id}", check: false);
        if (signal is "TERM" or "KILL" && !p.WaitForExit(10_000))
        {
            p.Kill();
            p.WaitForExit(5_000);
        }
    }

    public string Log(string name) => File.Exists(Path.Combine(Dir, name)) ? File.ReadAllText(Path.Combine(Dir, name)) : "";

    public void Dispose()
    {
        foreach (var p in _processes)
        {
            try
            {
                if (!p.HasExited)
                {
                    Run("kill", $"-CONT {p.Id}", check: false);
                    Stop(p);
                }
            }
            catch (InvalidOperationException)
            {
                // never started
            }
            p.Dispose();
        }
        foreach (var o in _owned)
            o.Dispose();
        foreach (var ns in _namespaces)
            Run("ip", $"netns del {ns}", check: false);
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // a daemon still holding a file; the temp dir is harmless
        }
    }

    public static IPAddress Ip(string s) => IPAddress.Parse(s);
}
