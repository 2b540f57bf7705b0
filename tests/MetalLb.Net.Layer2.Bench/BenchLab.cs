using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MetalLb.Net.Layer2.Bench;

/// <summary>The two namespaces and the veth between them; deleted on dispose.</summary>
internal sealed partial class BenchLab : IDisposable
{
    public const string KernelIp = "192.0.2.1", Vip = "192.0.2.100";
    public const string SpeakerMac = "02:00:00:00:a0:01";

    public BenchLab()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Speaker = $"ml2-{id}-s";
        Client = $"ml2-{id}-c";
        try
        {
            Ip("netns", "add", Speaker);
            Ip("netns", "add", Client);
            Ip("-n", Speaker, "link", "add", "s0", "address", SpeakerMac, "type", "veth",
                "peer", "name", "c0", "address", "02:00:00:00:c0:01", "netns", Client);
            Ip("-n", Speaker, "addr", "add", KernelIp + "/24", "dev", "s0");
            Ip("-n", Client, "addr", "add", "192.0.2.2/24", "dev", "c0");
            Ip("-n", Speaker, "link", "set", "s0", "up");
            Ip("-n", Client, "link", "set", "c0", "up");
            ClientIndex = int.Parse(Run("ip", "-n", Client, "-o", "link", "show", "c0").Split(':')[0], CultureInfo.InvariantCulture);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Speaker { get; }

    public string Client { get; }

    public int ClientIndex { get; }

    /// <summary>Runs Habets arping from the client; returns each reply's time in microseconds.</summary>
    public List<double> Arping(string ip, int count)
    {
        // arping exits 1 when any probe went unanswered; the replies it did get still count.
        var (_, output) = RunUnchecked("ip", "netns", "exec", Client, "arping", "-c", count.ToString(CultureInfo.InvariantCulture),
            "-W", "0.01", "-i", "c0", ip);
        var times = new List<double>();
        foreach (Match m in ReplyTime().Matches(output))
        {
            double value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            times.Add(m.Groups[2].Value switch { "usec" => value, "msec" => value * 1000, _ => value * 1_000_000 });
        }
        return times;
    }

    public void Dispose()
    {
        RunUnchecked("ip", "netns", "del", Speaker);
        RunUnchecked("ip", "netns", "del", Client);
    }

    private static void Ip(params string[] args) => Run("ip", args);

    private static string Run(string file, params string[] args)
    {
        var (code, output) = RunUnchecked(file, args);
        return code == 0 ? output
            : throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {code}: {output}");
    }

    private static (int, string) RunUnchecked(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }

    [GeneratedRegex(@"time=([0-9.]+) (usec|msec|sec)")]
    private static partial Regex ReplyTime();
}
