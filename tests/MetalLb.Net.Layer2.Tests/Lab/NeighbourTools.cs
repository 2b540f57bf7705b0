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
