using System.Globalization;

namespace MetalLb.Net.Lab;

/// <summary>One host on the lab's LAN: its namespace, its one link "eth0", its MAC and addresses.</summary>
public sealed record LabHost(string Name, string Namespace, string Mac, string IPv4, string IPv6)
{
    public const string Link = "eth0";
}

/// <summary>
/// The lab's wires. Every namespace name starts with a prefix unique to the lab (process id and
/// a counter), so two labs run side by side. The switch is a bridge inside its own namespace
/// ("{prefix}-lan"), and each host's veth is created there with its other end moved into the
/// host's namespace as eth0: nothing is added to the test process's own namespace, and the
/// documentation addresses below cannot clash between labs. Deleting the namespaces removes
/// every link.
///
/// Addresses (one /24 and one /64 for the LAN): router .1 / ::1, client .2 / ::2, node i
/// 192.0.2.(10+i) / 2001:db8::(10+i). MACs are fixed (02:00:00:00:00:0i for node i, :f1
/// router, :f2 client) so a failure message says which node answered.
/// </summary>
public sealed class ClusterNetwork : IDisposable
{
    public const string IPv4Prefix = "192.0.2.";
    public const string IPv6Prefix = "2001:db8::";

    private static int _counter;
    private readonly List<string> _namespaces = [];
    private readonly Action<string>? _created;

    /// <param name="prefix">
    /// The namespaces' prefix; by default "cl" + the process id and a counter (the tests'). The
    /// product lab passes its own ("mlb-NAME") so the two never collide.
    /// </param>
    /// <param name="created">Told each namespace's name before it is created, so a record of them survives a crash.</param>
    public ClusterNetwork(string? prefix = null, Action<string>? created = null)
    {
        _created = created;
        Prefix = prefix ?? string.Create(CultureInfo.InvariantCulture, $"cl{Environment.ProcessId % 0x10000:x}{Interlocked.Increment(ref _counter):x}");
        try
        {
            Lan = Namespace("lan");
            // No multicast snooping: the bridge floods NDP's solicited-node multicast like a plain switch.
            LabShell.Check("ip", "-n", Lan, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
            LabShell.Check("ip", "-n", Lan, "link", "set", "br0", "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Prefix { get; }

    /// <summary>The namespace holding the bridge.</summary>
    public string Lan { get; }

    /// <summary>A new host on the bridge with its own namespace, named "{prefix}-{name}".</summary>
    public LabHost AddHost(string name, int octet, string mac)
    {
        string ns = Namespace(name);
        string v4 = IPv4Prefix + octet.ToString(CultureInfo.InvariantCulture);
        string v6 = IPv6Prefix + octet.ToString(CultureInfo.InvariantCulture);
        // The bridge side is named after the host; the host side is eth0 in its own namespace.
        LabShell.Check("ip", "-n", Lan, "link", "add", name, "type", "veth", "peer", "name", LabHost.Link, "netns", ns);
        LabShell.Check("ip", "-n", Lan, "link", "set", name, "master", "br0", "up");
        LabShell.Check("ip", "-n", ns, "link", "set", LabHost.Link, "address", mac);
        LabShell.Check("ip", "-n", ns, "addr", "add", v4 + "/24", "dev", LabHost.Link);
        // nodad: the address is usable at once, no one else on the LAN claims it.
        LabShell.Check("ip", "-n", ns, "addr", "add", v6 + "/64", "dev", LabHost.Link, "nodad");
        LabShell.Check("ip", "-n", ns, "link", "set", LabHost.Link, "up");
        return new LabHost(name, ns, mac, v4, v6);
    }

    public void Dispose()
    {
        foreach (string ns in Enumerable.Reverse(_namespaces))
            LabShell.Run("ip", "netns", "del", ns);
    }

    private string Namespace(string name)
    {
        string ns = $"{Prefix}-{name}";
        _created?.Invoke(ns);
        LabShell.Check("ip", "netns", "add", ns);
        _namespaces.Add(ns);
        LabShell.Check("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }
}
