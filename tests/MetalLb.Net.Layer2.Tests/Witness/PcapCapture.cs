using System.Diagnostics;
using MetalLb.Net.Layer2.Tests.Lab;
using SharpPcap;
using SharpPcap.LibPcap;

namespace MetalLb.Net.Layer2.Tests.Witness;

/// <summary>
/// tcpdump writing a pcap file in the client namespace (-U: each packet flushed as it is
/// written, so stopping it by PID loses nothing) and printing one line per packet (--print), so a
/// test can wait for the packets it expects; the file is then read with SharpPcap's file reader.
/// </summary>
internal sealed class PcapCapture
{
    private readonly Process _process;
    private int _packets;

    private PcapCapture(Process process, string path)
    {
        _process = process;
        Path = path;
    }

    public string Path { get; }

    public int Packets => Volatile.Read(ref _packets);

    public static PcapCapture StartInClient(NetnsLab lab, string link, string path, string filter)
    {
        var p = lab.StartInClient("tcpdump", "--immediate-mode", "-U", "-w", path, "--print", "-l", "-nn", "-i", link, filter);
        var capture = new PcapCapture(p, path);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        p.OutputDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
                Interlocked.Increment(ref capture._packets);
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("listening on", StringComparison.Ordinal) == true)
                listening.TrySetResult();
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(15)))
            throw new TimeoutException("tcpdump did not start listening");
        return capture;
    }

    /// <summary>Stops tcpdump by its PID and returns every frame in the file, in capture order.</summary>
    public IReadOnlyList<byte[]> StopAndRead()
    {
        NetnsLab.Stop(_process);
        var frames = new List<byte[]>();
        using var device = new CaptureFileReaderDevice(Path);
        device.Open();
        while (device.GetNextPacket(out PacketCapture e) == GetPacketStatus.PacketRead)
        {
            var raw = e.GetPacket();
            Assert.Equal(PacketDotNet.LinkLayers.Ethernet, raw.LinkLayerType);
            frames.Add(raw.Data);
        }
        return frames;
    }
}
