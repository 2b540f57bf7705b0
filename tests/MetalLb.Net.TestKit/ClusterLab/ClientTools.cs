using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MetalLb.Net.Lab;

namespace MetalLb.Net.TestKit.ClusterLab;

/// <summary>
/// What a user on the LAN runs to see who has a Service IP: arping, ndisc6, ping and the
/// kernel's neighbour table, in the lab's client namespace, their output read as a user reads it.
/// </summary>
public sealed partial class ClientTools(LabHost client, string labDir)
{
    public LabHost Host { get; } = client;

    /// <summary>The MACs that answered one Habets arping request (none when nobody did).</summary>
    public IReadOnlyList<string> Arping(string ip, int count = 1)
    {
        var r = LabShell.InNs(Host.Namespace, "arping", "-c", count.ToString(CultureInfo.InvariantCulture), "-W", "0.3", "-i", LabHost.Link, ip);
        return [.. ArpingReply().Matches(r.Stdout).Select(m => m.Groups[1].Value.ToLowerInvariant())];
    }

    /// <summary>ndisc6's "Target link-layer address", or null when nobody answered.</summary>
    public string? Ndisc6(string ip)
    {
        var r = LabShell.InNs(Host.Namespace, "ndisc6", "-n", "-r", "1", "-w", "500", ip, LabHost.Link);
        var m = Ndisc6Reply().Match(r.Stdout);
        return m.Success ? m.Groups[1].Value.ToLowerInvariant() : null;
    }

    /// <summary>The MAC answering for <paramref name="ip"/> by ARP (IPv4) or NDP (IPv6), or null.</summary>
    public string? WhoHas(string ip) =>
        ip.Contains(':', StringComparison.Ordinal) ? Ndisc6(ip) : Arping(ip) is [var mac, ..] ? mac : null;

    /// <summary>
    /// Sends one ping so the client's kernel resolves <paramref name="ip"/> into its neighbour
    /// table (nothing answers the ping itself: no node holds the IP, the speaker only answers ARP/NDP).
    /// </summary>
    public void Resolve(string ip) =>
        LabShell.InNs(Host.Namespace, "ping", ip.Contains(':', StringComparison.Ordinal) ? "-6" : "-4", "-c", "1", "-W", "1", ip);

    /// <summary>The client's neighbour entry for <paramref name="ip"/> (`ip -j neigh show`): its MAC and state, or null.</summary>
    public NeighbourEntry? Neighbour(string ip)
    {
        string text = LabShell.Run("ip", "-n", Host.Namespace, "-j", "neigh", "show", ip, "dev", LabHost.Link).Stdout.Trim();
        if (text.Length == 0)
            return null;
        using var doc = JsonDocument.Parse(text);
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            string state = e.TryGetProperty("state", out var s) ? string.Join(',', s.EnumerateArray().Select(x => x.GetString())) : "";
            string? mac = e.TryGetProperty("lladdr", out var l) ? l.GetString() : null;
            return new NeighbourEntry(ip, mac, state);
        }
        return null;
    }

    /// <summary>Starts tcpdump on the client's link; returns once it is listening.</summary>
    public Capture Tcpdump(string filter) => Capture.Start(Host, labDir, filter);

    [GeneratedRegex(@"bytes from ([0-9a-fA-F:]{17}) \(")]
    private static partial Regex ArpingReply();

    [GeneratedRegex(@"Target link-layer address: ([0-9A-Fa-f:]{17})")]
    private static partial Regex Ndisc6Reply();
}

/// <summary>One row of `ip neigh`: the MAC the client would send to, and the kernel's state for it.</summary>
public sealed record NeighbourEntry(string Ip, string? Mac, string State);

/// <summary>
/// tcpdump on the client (-e for MACs, line-buffered, --immediate-mode so nothing waits in
/// libpcap's buffer). Lines are collected as they arrive; Dispose stops it by PID.
/// </summary>
public sealed class Capture : IDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly LabProcess _process;

    private Capture(LabProcess process) => _process = process;

    /// <param name="ascii">Print each packet's payload too (tcpdump -A), to look for plaintext.</param>
    public static Capture Start(LabHost host, string labDir, string filter, bool ascii = false)
    {
        ArgumentNullException.ThrowIfNull(host);
        var process = new LabProcess("tcpdump", Path.Combine(labDir, $"tcpdump-{Guid.NewGuid():N}.log"), () =>
        {
            var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in (string[])["netns", "exec", host.Namespace, LabShell.Which("tcpdump") ?? "tcpdump",
                         "--immediate-mode", "-i", LabHost.Link, "-nn", "-l", "-e", .. (ascii ? (string[])["-A"] : []), filter])
                psi.ArgumentList.Add(a);
            return psi;
        });
        var capture = new Capture(process);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Line += line =>
        {
            if (line.Contains("listening on", StringComparison.Ordinal))
                listening.TrySetResult();
            else
                capture._lines.Enqueue(line);
        };
        process.Start();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(15)))
        {
            string log = process.ReadLog();
            process.Dispose();
            throw new TimeoutException($"tcpdump did not start listening:\n{log}");
        }
        return capture;
    }

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The Ethernet source of a captured line ("TIME SRC > DST, ..." with -e), or null.</summary>
    public static string? SourceMac(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string[] fields = line.Split(' ', 4);
        return fields.Length > 2 && fields[2] == ">" ? fields[1].ToLowerInvariant() : null;
    }

    /// <summary>
    /// Lines where someone claims <paramref name="ip"/> by ARP: a reply "IP is-at MAC" or a
    /// gratuitous request (asking for the IP on its own behalf: "who-has IP (...) tell IP").
    /// </summary>
    public IReadOnlyList<(string? Mac, string Line)> ArpClaims(string ip) =>
        [.. _lines.Where(l => l.Contains($"Reply {ip} is-at ", StringComparison.Ordinal)
                || (l.Contains($"who-has {ip} ", StringComparison.Ordinal) && l.Contains($"tell {ip},", StringComparison.Ordinal)))
            .Select(l => (SourceMac(l), l))];

    /// <summary>Lines where someone advertises <paramref name="ip"/> by NDP (a neighbor advertisement for it).</summary>
    public IReadOnlyList<(string? Mac, string Line)> NdpClaims(string ip) =>
        [.. _lines.Where(l => l.Contains($"neighbor advertisement, tgt is {ip},", StringComparison.Ordinal)).Select(l => (SourceMac(l), l))];

    public IReadOnlyList<string> Matching(string text) => [.. _lines.Where(l => l.Contains(text, StringComparison.Ordinal))];

    public void Dispose() => _process.Dispose();
}
