namespace MetalLb.Net.Layer2.Tests.Wire;

/// <summary>
/// Frames captured with `tcpdump -xx -e` on a veth between two test namespaces (client c0
/// 02:00:00:00:c0:01, 192.0.2.2, 2001:db8::2; speaker s0 02:00:00:00:a0:01, 192.0.2.1,
/// 2001:db8::1 configured on the interface, so the Linux kernel answered).
/// </summary>
internal static class Golden
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>Habets arping 2.23: "Request who-has 192.0.2.1 tell 192.0.2.2", padded to 58 bytes.</summary>
    public static readonly byte[] ArpingRequest = Hex(
        "ffff ffff ffff 0200 0000 c001 0806 0001 0800 0604 0001 0200 0000 c001 c000 0202" +
        "0000 0000 0000 c000 0201 0000 0000 0000 0000 0000 0000 0000 0000");

    /// <summary>Linux 6.x kernel's answer to <see cref="ArpingRequest"/>: "Reply 192.0.2.1 is-at 02:00:00:00:a0:01".</summary>
    public static readonly byte[] KernelArpReply = Hex(
        "0200 0000 c001 0200 0000 a001 0806 0001 0800 0604 0002 0200 0000 a001 c000 0201" +
        "0200 0000 c001 c000 0202");

    /// <summary>ndisc6 1.0: "fe80::ff:fe00:c001 > ff02::1:ff00:1: neighbor solicitation, who has 2001:db8::1" with SLLA.</summary>
    public static readonly byte[] Ndisc6Solicitation = Hex(
        "3333 ff00 0001 0200 0000 c001 86dd 6006 d864 0020 3aff fe80 0000 0000 0000 0000" +
        "00ff fe00 c001 ff02 0000 0000 0000 0000 0001 ff00 0001 8700 cc5f 0000 0000 2001" +
        "0db8 0000 0000 0000 0000 0000 0001 0101 0200 0000 c001");

    /// <summary>The kernel's answer: from the target itself, S|O, target link-layer option.</summary>
    public static readonly byte[] KernelAdvertisement = Hex(
        "0200 0000 c001 0200 0000 a001 86dd 6000 0000 0020 3aff 2001 0db8 0000 0000 0000" +
        "0000 0000 0001 fe80 0000 0000 0000 0000 00ff fe00 c001 8800 5aab 6000 0000 2001" +
        "0db8 0000 0000 0000 0000 0000 0001 0201 0200 0000 a001");
}
