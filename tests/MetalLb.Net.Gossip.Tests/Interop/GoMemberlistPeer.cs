using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Gossip.Tests.Interop;

/// <summary>
/// A hashicorp/memberlist member in its own process (Interop/mlpeer/main.go, built offline
/// from Debian's golang-go and golang-github-hashicorp-memberlist-dev, see
/// scripts/install/gossip-go.sh). Driven over stdin, observed through its stdout lines.
/// Stopped by PID in <see cref="Dispose"/>, whatever happened.
/// </summary>
public sealed class GoMemberlistPeer : IDisposable
{
    private static readonly Lazy<string> Binary = new(Build);
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly List<string> _seen = [];

    private GoMemberlistPeer(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
                _lines.Add(line);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
                _lines.Add("STDERR " + line);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public IReadOnlyList<string> Seen => _seen;

    /// <summary>The built program, or a skip (a failure under CI=true) when Go is missing.</summary>
    public static string BinaryPath() => Binary.Value;

    public static GoMemberlistPeer Start(string name, string? secret = null, int suspicionMult = 0, params IPEndPoint[] join)
    {
        for (var attempt = 1; ; attempt++)
        {
            var peer = StartOnce(name, secret, suspicionMult, join);
            var first = peer.WaitFor(l => l.StartsWith("READY ", StringComparison.Ordinal) || l.StartsWith("ERR ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            if (first.StartsWith("READY ", StringComparison.Ordinal))
                return peer;
            peer.Dispose();
            // The port was free when we picked it; someone took it before Go bound it. Pick again.
            if (attempt == 3 || !first.Contains("address already in use", StringComparison.Ordinal))
                throw new InvalidOperationException("memberlist peer failed to start: " + first);
        }
    }

    private static GoMemberlistPeer StartOnce(string name, string? secret, int suspicionMult, IPEndPoint[] join)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(BinaryPath())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-name", name, "-bind", "127.0.0.1", "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        if (suspicionMult > 0)
        {
            info.ArgumentList.Add("-suspicion-mult");
            info.ArgumentList.Add(suspicionMult.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (secret is not null)
        {
            info.ArgumentList.Add("-metallb-secret");
            info.ArgumentList.Add(secret);
        }
        if (join.Length > 0)
        {
            info.ArgumentList.Add("-join");
            info.ArgumentList.Add(string.Join(",", join.Select(j => j.ToString())));
        }
        return new GoMemberlistPeer(Process.Start(info)!, port);
    }

    public void Send(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
    }

    /// <summary>Waits for an output line (seen before or arriving before the deadline).</summary>
    public string WaitFor(Func<string, bool> match, TimeSpan deadline)
    {
        var found = _seen.FirstOrDefault(match);
        if (found is not null)
            return found;
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, left))
                throw new TimeoutException($"memberlist peer never printed the expected line; it printed: {string.Join(" | ", _seen)}");
            _seen.Add(line);
            if (match(line))
                return line;
        }
    }

    /// <summary>Asks for the member list until it is <paramref name="expected"/> (sorted, comma-joined).</summary>
    public void WaitForMembers(string expected, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            Send("members");
            var line = WaitForNew(l => l.StartsWith("MEMBERS ", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            if (line == "MEMBERS " + expected)
                return;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"memberlist peer lists {line}, not {expected}");
            Thread.Sleep(50);   // pace the polling of a condition with a deadline
        }
    }

    private string WaitForNew(Func<string, bool> match, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, left))
                throw new TimeoutException($"memberlist peer never answered; it printed: {string.Join(" | ", _seen)}");
            if (match(line))
                return line;
            _seen.Add(line);
        }
    }

    /// <summary>SIGKILL: the peer vanishes without a word, as a crashed speaker does.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _lines.Dispose();
    }

    /// <summary>A port free for both TCP and UDP on loopback right now.</summary>
    public static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
            }
        }
    }

    private static string Build()
    {
        // PATH first, then Debian's golang-go location (a CI shell's PATH may lack it).
        var go = Prerequisite.Require(Prerequisite.Find("go") ?? "/usr/lib/go/bin/go", "Go",
            "scripts/install/gossip-go.sh (installs golang-go and golang-github-hashicorp-memberlist-dev)");
        if (!Directory.Exists("/usr/share/gocode/src/github.com/hashicorp/memberlist"))
            throw Prerequisite.Missing("golang-github-hashicorp-memberlist-dev is not installed; run scripts/install/gossip-go.sh");
        var source = Path.Combine(AppContext.BaseDirectory, "Interop", "mlpeer", "main.go");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(source)))[..16];
        var root = Path.Combine(Path.GetTempPath(), $"metallb-net-gossip-go-{hash}");
        var output = Path.Combine(root, "mlpeer");
        if (File.Exists(output))
            return output;   // built from this very source before
        // A GOPATH per build process, so two test runs building at once never share sources.
        var gopath = Path.Combine(root, $"gopath-{Environment.ProcessId}");
        var package = Path.Combine(gopath, "src", "mlpeer");
        Directory.CreateDirectory(package);
        File.Copy(source, Path.Combine(package, "main.go"), overwrite: true);
        var building = output + $".{Environment.ProcessId}";
        var info = new ProcessStartInfo(go, ["build", "-o", building, "mlpeer"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        // Offline: Debian's source tree is the whole GOPATH; no module proxy, no downloads.
        info.Environment["GOPATH"] = $"{gopath}:/usr/share/gocode";
        info.Environment["GO111MODULE"] = "off";
        info.Environment["GOPROXY"] = "off";
        info.Environment["GOFLAGS"] = "";
        // go wants a home for its settings; CI may run without HOME.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("HOME")))
            info.Environment["HOME"] = Path.GetTempPath();
        info.Environment["GOCACHE"] = Path.Combine(Path.GetTempPath(), "metallb-net-gossip-gocache");
        using var build = Process.Start(info)!;
        var errors = build.StandardError.ReadToEndAsync();
        build.StandardOutput.ReadToEnd();
        if (!build.WaitForExit(180_000))
        {
            build.Kill();
            throw new InvalidOperationException("go build timed out");
        }
        if (build.ExitCode != 0)
            throw new InvalidOperationException("go build failed: " + errors.Result);
        File.Move(building, output, overwrite: true);
        Directory.Delete(gopath, recursive: true);
        return output;
    }
}
