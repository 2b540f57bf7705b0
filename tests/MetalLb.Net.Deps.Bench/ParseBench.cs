using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using MetalLb.Net.Layer2.Wire;
using PacketDotNet;
using PacketDotNet.Ndp;

namespace MetalLb.Net.Deps.Bench;

/// <summary>
/// ns per frame and bytes allocated per frame to decode what the responders receive (an ARP
/// request, a Neighbor Solicitation with its option), with our codecs and with PacketDotNet,
/// reading the same fields from each. Stopwatch over many frames, median of 5 runs, one thread.
/// </summary>
internal static class ParseBench
{
    // arping's request and ndisc6's solicitation, as captured in tests/MetalLb.Net.Layer2.Tests/Wire/Golden.cs.
    private static readonly byte[] Arp = Hex(
        "ffff ffff ffff 0200 0000 c001 0806 0001 0800 0604 0001 0200 0000 c001 c000 0202" +
        "0000 0000 0000 c000 0201 0000 0000 0000 0000 0000 0000 0000 0000");
    private static readonly byte[] Ns = Hex(
        "3333 ff00 0001 0200 0000 c001 86dd 6006 d864 0020 3aff fe80 0000 0000 0000 0000" +
        "00ff fe00 c001 ff02 0000 0000 0000 0000 0001 ff00 0001 8700 cc5f 0000 0000 2001" +
        "0db8 0000 0000 0000 0000 0000 0001 0101 0200 0000 c001");

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    private static int Frames = 1_000_000;

    /// <param name="frames">Frames per run; the smoke run of scripts/test.sh uses a few thousand.</param>
    public static void Run(int frames = 1_000_000)
    {
        Frames = frames;
        Console.WriteLine($"Frames per run: {Frames:N0}; median of 5 runs; load before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine();
        Console.WriteLine("| frame | decoder | ns/frame | bytes allocated/frame |");
        Console.WriteLine("|---|---|---:|---:|");
        Row("ARP request (58 B)", "ours", OursArp);
        Row("ARP request (58 B)", "PacketDotNet 1.4.8", TheirsArp);
        Row("Neighbor Solicitation (86 B)", "ours", OursNs);
        Row("Neighbor Solicitation (86 B)", "PacketDotNet 1.4.8", TheirsNs);
        Console.WriteLine();
        Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static void Row(string frame, string decoder, Func<byte[], long> decode)
    {
        byte[] input = frame.StartsWith("ARP", StringComparison.Ordinal) ? Arp : Ns;
        long check = decode(input);
        if (check == 0)
            throw new InvalidOperationException($"{decoder} did not decode the {frame}");
        for (int i = 0; i < Math.Min(100_000, Frames); i++)
            check += decode(input);   // warm-up: tiered JIT reaches its final code
        var ns = new List<double>();
        var bytes = new List<double>();
        for (int run = 0; run < 5; run++)
        {
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < Frames; i++)
                check += decode(input);
            double elapsed = Stopwatch.GetElapsedTime(t0).TotalNanoseconds;
            long a1 = GC.GetAllocatedBytesForCurrentThread();
            ns.Add(elapsed / Frames);
            bytes.Add((a1 - a0) / (double)Frames);
        }
        ns.Sort();
        bytes.Sort();
        if (check == 0)
            throw new InvalidOperationException("nothing decoded");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {frame} | {decoder} | {ns[2]:F0} | {bytes[2]:F0} |"));
    }

    private static long OursArp(byte[] frame)
    {
        if (EthernetHeader.TryRead(frame, out var eth) != OperationStatus.Done || eth.EtherType != EtherType.Arp)
            return 0;
        if (Layer2.Wire.ArpPacket.TryRead(frame.AsSpan(EthernetHeader.Size), out var arp) != OperationStatus.Done)
            return 0;
        return (long)arp.Operation + arp.TargetProtocolAddress + (long)arp.SenderHardwareAddress.GetHashCode();
    }

    private static long TheirsArp(byte[] frame)
    {
        var eth = (EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, frame);
        if (eth.Type != EthernetType.Arp || eth.Extract<PacketDotNet.ArpPacket>() is not { } arp)
            return 0;
        return (long)arp.Operation + arp.TargetProtocolAddress.GetHashCode() + (long)arp.SenderHardwareAddress.GetHashCode();
    }

    private static long OursNs(byte[] frame)
    {
        if (EthernetHeader.TryRead(frame, out var eth) != OperationStatus.Done || eth.EtherType != EtherType.IPv6)
            return 0;
        var packet = frame.AsSpan(EthernetHeader.Size);
        if (Ipv6Header.TryRead(packet, out var ip) != OperationStatus.Done)
            return 0;
        if (NeighborSolicitation.TryRead(packet.Slice(Ipv6Header.Size, ip.PayloadLength), out var ns) != OperationStatus.Done)
            return 0;
        return (long)(ns.Target & 0xFFFF) + ip.HopLimit + (ns.SourceLinkLayerAddress?.GetHashCode() ?? 1);
    }

    private static long TheirsNs(byte[] frame)
    {
        var eth = (EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, frame);
        if (eth.Type != EthernetType.IPv6 || eth.Extract<IPv6Packet>() is not { } ip || eth.Extract<NdpNeighborSolicitationPacket>() is not { } ns)
            return 0;
        var option = ns.OptionsCollection.OfType<NdpLinkLayerAddressOption>().FirstOrDefault();
        return ns.TargetAddress.GetHashCode() + ip.HopLimit + (option?.LinkLayerAddress.GetHashCode() ?? 1);
    }
}
