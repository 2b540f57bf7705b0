using System.Diagnostics;
using System.Security.Cryptography;
using MetalLb.Net.Layer2.Sockets;

namespace MetalLb.Net.Layer2.Tests.Lab;

/// <summary>
/// Two network namespaces, "speaker" and "client", with a test-unique prefix (ml2-xxxxxxxx-),
/// joined by veth pairs created directly inside them, so nothing ever appears in the root
/// namespace. Dispose stops every process the lab started (by its Process handle, i.e. PID) and
/// deletes both namespaces, which deletes the links with them.
/// </summary>
internal sealed class NetnsLab : IDisposable
{
    private readonly List<Process> _processes = [];
    private NamespaceSocketProvider? _sockets;

    public NetnsLab()
    {
        Prerequisites.Require();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Speaker = $"ml2-{id}-s";
        Client = $"ml2-{id}-c";
        try
        {
            Cmd.Check("ip", "netns", "add", Speaker);
            Cmd.Check("ip", "netns", "add", Client);
            Cmd.Check("ip", "-n", Speaker, "link", "set", "lo", "up");
            Cmd.Check("ip", "-n", Client, "link", "set", "lo", "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Speaker { get; }

    public string Client { get; }

    /// <summary>Sockets created inside the speaker namespace, for the announcer under test.</summary>
    public NamespaceSocketProvider SpeakerSockets => _sockets ??= new NamespaceSocketProvider(Speaker);

    /// <summary>
    /// A veth pair: <paramref name="speakerLink"/> (MAC <paramref name="speakerMac"/>) in the speaker
    /// namespace, <paramref name="clientLink"/> in the client one, both up, with the given
    /// addresses (IPv6 without DAD, so it is usable at once).
    /// </summary>
    public void AddLink(string speakerLink, string speakerMac, string clientLink, string clientMac,
        string? speakerV4 = null, string? clientV4 = null, string? speakerV6 = null, string? clientV6 = null)
    {
        Cmd.Check("ip", "-n", Speaker, "link", "add", speakerLink, "address", speakerMac, "type", "veth",
            "peer", "name", clientLink, "address", clientMac, "netns", Client);
        if (speakerV4 is not null)
            Cmd.Check("ip", "-n", Speaker, "addr", "add", speakerV4, "dev", speakerLink);
        if (clientV4 is not null)
            Cmd.Check("ip", "-n", Client, "addr", "add", clientV4, "dev", clientLink);
        if (speakerV6 is not null)
            Cmd.Check("ip", "-n", Speaker, "addr", "add", speakerV6, "dev", speakerLink, "nodad");
        if (clientV6 is not null)
            Cmd.Check("ip", "-n", Client, "addr", "add", clientV6, "dev", clientLink, "nodad");
        // No DAD on the links' own link-local addresses: while one is tentative the kernel sends no
        // unicast NS at all, and a test starting at once would see its probes vanish.
        Cmd.Check("ip", "netns", "exec", Speaker, "sysctl", "-q", "-w", $"net.ipv6.conf.{speakerLink}.accept_dad=0");
        Cmd.Check("ip", "netns", "exec", Client, "sysctl", "-q", "-w", $"net.ipv6.conf.{clientLink}.accept_dad=0");
        Cmd.Check("ip", "-n", Speaker, "link", "set", speakerLink, "up");
        Cmd.Check("ip", "-n", Client, "link", "set", clientLink, "up");
        // The kernel adds the links' link-local addresses once both ends have carrier, a moment
        // after "up". The responder serves NDP only on links that have one (as upstream), and the
        // client's kernel sends no unicast NS without one, so wait for both.
        foreach (var (ns, link) in (ReadOnlySpan<(string, string)>)[(Speaker, speakerLink), (Client, clientLink)])
        {
            Eventually.Until(() => Cmd.Check("ip", "-n", ns, "-6", "addr", "show", "dev", link, "scope", "link").Contains("fe80:", StringComparison.Ordinal),
                TimeSpan.FromSeconds(15), $"{link} has its IPv6 link-local address");
        }
    }

    public Cmd.Result InClient(params string[] command) => Cmd.Run("ip", ["netns", "exec", Client, .. command]);

    public string IpSpeaker(params string[] args) => Cmd.Check("ip", ["-n", Speaker, .. args]);

    public string IpClient(params string[] args) => Cmd.Check("ip", ["-n", Client, .. args]);

    /// <summary>
    /// Starts a long-running command in the client namespace. `ip netns exec` execs the command in
    /// place, so the PID we hold is the command's own and Dispose stops exactly it.
    /// </summary>
    public Process StartInClient(params string[] command)
    {
        var p = Process.Start(Cmd.StartInfo("ip", ["netns", "exec", Client, .. command])) ?? throw new InvalidOperationException("cannot start " + command[0]);
        _processes.Add(p);
        return p;
    }

    public static void Stop(Process p)
    {
        if (!p.HasExited)
        {
            try
            {
                p.Kill();
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }
        }
        p.WaitForExit();
    }

    public void Dispose()
    {
        foreach (var p in _processes)
        {
            Stop(p);
            p.Dispose();
        }
        _sockets?.Dispose();
        Cmd.Run("ip", "netns", "del", Speaker);
        Cmd.Run("ip", "netns", "del", Client);
    }
}
