using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>BIRD 2 in a namespace with its own config, control socket and pid file; read back with birdc.</summary>
internal sealed partial class Bird
{
    private readonly NetLab _lab;
    private readonly string _config;
    private readonly string _socket;

    public Bird(NetLab lab, string ns, string config)
    {
        _lab = lab;
        Ns = ns;
        _config = Path.Combine(lab.Dir, $"bird-{ns}.conf");
        _socket = Path.Combine(lab.Dir, $"bird-{ns}.ctl");
        File.WriteAllText(_config, config);
    }

    public string Ns { get; }
    public Process? Process { get; private set; }

    public void Start() =>
        Process = _lab.Start(Ns, $"bird -f -c {_config} -s {_socket} -P {Path.Combine(_lab.Dir, $"bird-{Ns}.pid")}", $"bird-{Ns}.log");

    public string Birdc(string command) => NetLab.Run("birdc", $"-s {_socket} {command}", check: false);

    /// <summary>What to print when a wait times out: the session as BIRD sees it (the tests name their protocol metallb), and its log.</summary>
    public string Describe() => $"{Birdc("show protocols all metallb")}\n{_lab.Log($"bird-{Ns}.log")}";

    /// <summary>`birdc show route all`, split into one block per prefix (continuation lines belong to the prefix above).</summary>
    public Dictionary<string, string> Routes(string table)
    {
        var blocks = new Dictionary<string, string>();
        string? current = null;
        foreach (var line in Birdc($"show route all table {table}").Split('\n'))
        {
            var m = PrefixLine().Match(line);
            if (m.Success)
            {
                current = m.Groups[1].Value;
                blocks[current] = line + "\n";
            }
            else if (current is not null && line.StartsWith('\t'))
                blocks[current] += line.Trim() + "\n";
            else if (current is not null && line.StartsWith(' ') && line.Trim().Length > 0)
                blocks[current] += line.Trim() + "\n"; // a second path of the same prefix
        }
        return blocks;
    }

    public int Count(string table) => Routes(table).Count;

    [GeneratedRegex(@"^([0-9a-f:.]+/\d+)\s")]
    private static partial Regex PrefixLine();
}
