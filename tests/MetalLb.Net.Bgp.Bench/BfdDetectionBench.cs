using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using MetalLb.Net.Bgp.Bfd;
using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Bench;

/// <summary>
/// BFD detection time, ours and FRR bfdd's, same run: 300 ms x 3 both sides, one veth between
/// two namespaces. Each trial waits until both are Up with the fast timers in effect, waits a
/// random phase, then drops one direction with nftables and times until the detecting side
/// declares Down. Usage (root): dotnet run -c Release --project tests/MetalLb.Net.Bgp.Bench -- bfd [trials]
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static partial class BfdDetectionBench
{
    private static readonly TimeSpan Detect = TimeSpan.FromMilliseconds(900);

    public static async Task RunAsync(string[] args)
    {
        var trials = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var prefix = $"bf{Environment.ProcessId % 10000:x}";
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
        using var shell = new Shell();
        var us = shell.Namespace(prefix + "us");
        var peer = shell.Namespace(prefix + "fr");
        Shell.Link(us, "192.0.2.1", peer, "192.0.2.2", prefix + "ua", prefix + "ub");
        File.WriteAllText(Path.Combine(dir, "bfdd.conf"), "bfd\n peer 192.0.2.1 local-address 192.0.2.2\n  receive-interval 300\n  transmit-interval 300\n  detect-multiplier 3\n !\n!\n");
        File.SetUnixFileMode(Path.Combine(dir, "bfdd.conf"), (UnixFileMode)0x1B6);
        shell.Daemon(peer, $"/usr/lib/frr/bfdd -u frr -g frr -P 0 -z {dir}/zserv.api --vty_socket {dir} --bfdctl {dir}/bfdd.sock -f {dir}/bfdd.conf -i {dir}/bfdd.pid");
        string Frr() => Shell.Run("ip", $"netns exec {peer} vtysh --vty_socket {dir} -c \"show bfd peers json\"", check: false);

        var sockets = new UdpSockets(us);
        await using var engine = new BfdEngine(new BfdEngineOptions { SocketFactory = sockets.Create }, TimeProvider.System);
        var downs = new List<(DateTimeOffset At, BfdDiagnostic Diag)>();
        var sent = new List<DateTimeOffset>();
        engine.PacketSent += (_, at) => { lock (sent) sent.Add(at); };
        engine.StateChanged += c => { if (c.From == BfdState.Up) lock (downs) downs.Add((DateTimeOffset.UtcNow, c.Diagnostic)); };
        await engine.StartAsync();
        await engine.SetSessionAsync("frr", new BfdSessionOptions { PeerAddress = IPAddress.Parse("192.0.2.2"), LocalAddress = IPAddress.Parse("192.0.2.1") });

        var ours = new List<double>();           // FRR silent -> our Down (diag 1)
        var oursSinceLast = new List<double>();  // our last packet from FRR -> our Down: the timer itself
        var frrs = new List<double>();           // we are silent -> FRR's Down, seen as its diag-1 packet to us
        var frrsSinceLast = new List<double>();  // our last packet FRR got -> FRR's Down: its timer
        var nftMs = new List<double>();
        var load = File.ReadAllText("/proc/loadavg").Trim();
        for (var t = 0; t < trials * 2; t++)
        {
            var oursDetect = t % 2 == 0;
            await Settle(engine, Frr);
            await Task.Delay(1000 + Random.Shared.Next(300));
            lock (downs)
                downs.Clear();
            // Ours detecting FRR: FRR's packets to us are lost (peer's output). FRR detecting us:
            // ours to FRR are lost (our output), FRR's Down still reaches us.
            var rule = "table inet bfdbench {\n chain out { type filter hook output priority 0; udp dport 3784 drop; }\n}\n";
            var file = Path.Combine(dir, "drop.nft");
            await File.WriteAllTextAsync(file, rule);
            var before = DateTimeOffset.UtcNow;
            Shell.Run("ip", $"netns exec {(oursDetect ? peer : us)} nft -f {file}");
            var after = DateTimeOffset.UtcNow;
            var failure = before + (after - before) / 2;
            nftMs.Add((after - before).TotalMilliseconds);
            var lastHeard = engine.GetSession("frr")!.LastPacketReceived;
            await Until(() => { lock (downs) return downs.Count > 0; }, TimeSpan.FromSeconds(10));
            (DateTimeOffset At, BfdDiagnostic Diag) down;
            lock (downs)
                down = downs[0];
            if (oursDetect)
            {
                ours.Add((down.At - failure).TotalMilliseconds);
                if (engine.GetSession("frr") is { } s && down.Diag == BfdDiagnostic.ControlDetectionTimeExpired)
                    oursSinceLast.Add((down.At - LastBefore(lastHeard, s.LastPacketReceived, down.At)).TotalMilliseconds);
            }
            else if (down.Diag == BfdDiagnostic.NeighborSignaledSessionDown)
            {
                frrs.Add((down.At - failure).TotalMilliseconds);
                // A drop in the output hook fails sendto (EPERM), so the engine reports only the
                // packets that left: the last of them before FRR's Down is the last FRR heard.
                lock (sent)
                    if (sent.LastOrDefault(x => x <= down.At) is var last && last != default)
                        frrsSinceLast.Add((down.At - last).TotalMilliseconds);
            }
            Shell.Run("ip", $"netns exec {(oursDetect ? peer : us)} nft delete table inet bfdbench", check: false);
            Console.WriteLine(FormattableString.Invariant($"trial {t / 2 + 1} {(oursDetect ? "ours" : "FRR ")}: {(down.At - failure).TotalMilliseconds:F0} ms ({down.Diag}), nft {(after - before).TotalMilliseconds:F0} ms"));
        }
        await engine.StopAsync();

        Console.WriteLine();
        Console.WriteLine($"load average before: {load}; after: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"| 300 ms x 3 (900 ms), {trials} trials each | n | p50 | p90 | p99 | max | p99 / 900 ms |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        Row("ours detecting FRR: failure -> Down", ours);
        Row("ours: last packet from FRR -> Down", oursSinceLast);
        Row("FRR detecting us: failure -> Down", frrs);
        Row("FRR: our last packet it got -> its Down", frrsSinceLast);
        Row("nft command (the failure instant's uncertainty)", nftMs);
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// The last packet received before the drop took effect: the newer of the snapshot taken at
    /// the drop and the session's final LastPacketReceived, if that came before the Down.
    /// </summary>
    private static DateTimeOffset LastBefore(DateTimeOffset? atDrop, DateTimeOffset? final, DateTimeOffset down) =>
        final is { } f && f <= down ? f : atDrop ?? down;

    private static void Row(string name, List<double> xs)
    {
        if (xs.Count == 0)
        {
            Console.WriteLine($"| {name} | 0 | | | | | |");
            return;
        }
        var s = xs.Order().ToList();
        double P(double q) => s[Math.Min(s.Count - 1, (int)Math.Ceiling(q * s.Count) - 1)];
        Console.WriteLine(FormattableString.Invariant($"| {name} | {s.Count} | {P(0.5):F0} ms | {P(0.9):F0} ms | {P(0.99):F0} ms | {s[^1]:F0} ms | {P(0.99) / Detect.TotalMilliseconds:F2} |"));
    }

    /// <summary>Both Up with the 300 ms timers in effect on both sides (each poll sequence done).</summary>
    private static async Task Settle(BfdEngine engine, Func<string> frr)
    {
        await Until(() =>
        {
            var s = engine.GetSession("frr");
            if (s is not { State: BfdState.Up } || s.DetectionTime != Detect || s.TransmitInterval != TimeSpan.FromMilliseconds(300))
                return false;
            var json = frr().Trim();
            if (!json.StartsWith('['))
                return false;
            using var doc = JsonDocument.Parse(json);
            var p = doc.RootElement[0];
            return p.GetProperty("status").GetString() == "up" && p.GetProperty("remote-transmit-interval").GetInt32() == 300;
        }, TimeSpan.FromSeconds(30));
    }

    private static async Task Until(Func<bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
                throw new TimeoutException("BFD bench: condition not met");
            await Task.Delay(5);
        }
    }

    /// <summary>UDP sockets made on a thread that joined the namespace (setns).</summary>
    private sealed partial class UdpSockets(string ns)
    {
        [LibraryImport("libc", SetLastError = true)]
        private static partial int setns(int fd, int nstype);

        public Socket Create(AddressFamily family)
        {
            Socket? socket = null;
            var t = new Thread(() =>
            {
                using var handle = File.OpenHandle($"/var/run/netns/{ns}");
                if (setns((int)handle.DangerousGetHandle(), 0x40000000) == 0)
                    socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            });
            t.Start();
            t.Join();
            return socket ?? throw new InvalidOperationException($"no socket in {ns}");
        }
    }
}
