using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetalLb.Net.Lab;

/// <summary>
/// What a running lab has made, written to state.json as it is made (a namespace before it is
/// created, a process as soon as it started), so `lab down` can remove everything even after
/// `lab up` crashed. `lab status` and `lab failover` read it too.
/// </summary>
public sealed record LabState
{
    public string Name { get; set; } = "";

    public string Prefix { get; set; } = "";

    public LabMode Mode { get; set; }

    /// <summary>Starting, Ready, Failed or Stopping.</summary>
    public string Phase { get; set; } = "Starting";

    /// <summary>The `lab up` process serving the API and supervising the others.</summary>
    public int DaemonPid { get; set; }

    public long DaemonStartTime { get; set; }

    public int ApiPort { get; set; }

    /// <summary>Every kubeconfig written (the lab folder's and --kubeconfig's).</summary>
    public List<string> Kubeconfigs { get; set; } = [];

    public List<string> Namespaces { get; set; } = [];

    public string LanNamespace { get; set; } = "";

    public string ClientNamespace { get; set; } = "";

    public string RouterNamespace { get; set; } = "";

    public List<LabStateNode> Nodes { get; set; } = [];

    public List<LabStateProcess> Processes { get; set; } = [];

    /// <summary>How MetalLb.Net was installed; null in the state of a lab from before --install existed (direct).</summary>
    public LabInstall? Install { get; set; }

    /// <summary>Folders outside the lab's own that it created (the in-cluster token mount point), removed by the last lab to go.</summary>
    public List<string> CreatedDirs { get; set; } = [];

    /// <summary>The sample configuration's file.</summary>
    public string Config { get; set; } = "";

    public static LabState? Read(string name)
    {
        string path = LabPaths.State(name);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), LabStateJson.Default.LabState);
        }
        catch (JsonException)
        {
            return null;   // half-written by a crash; `lab down` falls back to the namespaces' prefix
        }
    }

    /// <summary>Writes atomically (a temp file renamed over the old), so a reader never sees half a file.</summary>
    public void Write()
    {
        string path = LabPaths.State(Name);
        string tmp = path + ".tmp";
        lock (this)
        {
            File.WriteAllText(tmp, JsonSerializer.Serialize(this, LabStateJson.Default.LabState));
            File.Move(tmp, path, overwrite: true);
        }
    }
}

public sealed record LabStateNode(string Name, string Namespace, string IPv4, string IPv6, string Mac);

/// <summary>A process the lab started: its PID and its start time (so a reused PID is never signalled).</summary>
public sealed record LabStateProcess(string Name, int Pid, long StartTime);

[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(LabState))]
internal sealed partial class LabStateJson : JsonSerializerContext;
