using System.Text.RegularExpressions;

namespace MetalLb.Net.Layer2.Tests.Lab;

/// <summary>The client-side tools a user would run, with their output parsed the way a user reads it.</summary>
internal static partial class NeighbourTools
{
    /// <summary>Habets arping: one request per try until one is answered; returns every "bytes from MAC" seen.</summary>
    public static IReadOnlyList<string> ArpingUntilAnswered(NetnsLab lab, string link, string ip) =>
        Eventually.Until(() => Arping(lab, link, ip, count: 1), macs => macs.Count > 0,
            TimeSpan.FromSeconds(15), $"arping {ip} on {link} answered");

    public static IReadOnlyList<string> Arping(NetnsLab lab, string link, string ip, int count, string wait = "0.3")
    {
        var r = lab.InClient("arping", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-W", wait, "-i", link, ip);
        return [.. ArpingReply().Matches(r.Stdout).Select(m => m.Groups[1].Value.ToLowerInvariant())];
    }

    /// <summary>
    /// Asserts arping sent <paramref name="count"/> requests and nothing answered. Habets arping
    /// exits 1 both when nothing answered and when it could not send at all (no such device), so
    /// the exit code alone proves nothing: its statistics line must show every request sent.
    /// <paramref name="cpu"/> pins it with taskset (the per-CPU lane tests).
    /// </summary>
    public static void ArpingUnanswered(NetnsLab lab, string link, string ip, int count, int? cpu = null)
    {
        var n = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var r = lab.InClient([.. Pinned(cpu), "arping", "-c", n, "-W", "0.3", "-i", link, ip]);
        Assert.True(r.ExitCode == 1 && r.Stdout.Contains($"{n} packets transmitted, 0 packets received", StringComparison.Ordinal),
            $"arping {ip} on {link}: expected {n} requests sent and none answered; exit {r.ExitCode}: {r.All}");
    }

    /// <summary>
    /// Asserts ndisc6 solicited <paramref name="ip"/> and got no advertisement: it exits 2 with
    /// "No response." for that, and 1 when it could not send (so a broken lab cannot pass).
    /// </summary>
    public static void Ndisc6Unanswered(NetnsLab lab, string link, string ip, int tries, int? cpu = null)
    {
        var r = lab.InClient([.. Pinned(cpu), "ndisc6", "-n", "-r", tries.ToString(System.Globalization.CultureInfo.InvariantCulture), "-w", "500", ip, link]);
        Assert.True(r.ExitCode == 2 && r.Stdout.Contains("No response.", StringComparison.Ordinal),
            $"ndisc6 {ip} on {link}: expected a solicitation with no answer (exit 2); exit {r.ExitCode}: {r.All}");
    }

    /// <summary>The taskset prefix that runs a tool on one CPU, checked as a prerequisite.</summary>
    public static string[] Pinned(int? cpu) => cpu is { } c
        ? [MetalLb.Net.TestKit.Prerequisite.Tool("taskset", "apt-get install util-linux"), "-c", c.ToString(System.Globalization.CultureInfo.InvariantCulture)]
        : [];

    /// <summary>ndisc6's "Target link-layer address: XX:XX:..." or null when it got no answer.</summary>
    public static string? Ndisc6(NetnsLab lab, string link, string ip, int tries = 1)
    {
        var r = lab.InClient("ndisc6", "-n", "-r", tries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-w", "500", ip, link);
        var m = Ndisc6Reply().Match(r.Stdout);
        return m.Success ? m.Groups[1].Value.ToLowerInvariant() : null;
    }

    public static string? Ndisc6UntilAnswered(NetnsLab lab, string link, string ip) =>
        Eventually.Until(() => Ndisc6(lab, link, ip), mac => mac is not null,
            TimeSpan.FromSeconds(15), $"ndisc6 {ip} on {link} answered");

    /// <summary>`ip neigh show IP dev LINK` in the client: the kernel's own view of who has the IP.</summary>
    public static string Neigh(NetnsLab lab, string link, string ip) =>
        lab.IpClient(ip.Contains(':', StringComparison.Ordinal) ? "-6" : "-4", "neigh", "show", ip, "dev", link).Trim();

    [GeneratedRegex(@"bytes from ([0-9a-fA-F:]{17}) \(")]
    private static partial Regex ArpingReply();

    [GeneratedRegex(@"Target link-layer address: ([0-9A-Fa-f:]{17})")]
    private static partial Regex Ndisc6Reply();
}
