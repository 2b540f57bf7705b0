using System.Diagnostics;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>
/// The images scripts/images/build.sh makes, run with podman + runc (test-tools.md section 9).
/// An image is used only when its io.metallb-net.inputs label equals the hash of the sources it
/// is built from now (scripts/images/inputs-hash.sh); otherwise it is rebuilt first, so a test
/// never passes on an image of older code.
/// </summary>
public static class ContainerImages
{
    private static readonly SemaphoreSlim Building = new(1, 1);

    /// <summary>
    /// localhost/metallb-net-&lt;component&gt;:$TAG (dev by default). With TAG and VARIANT set as for
    /// build.sh (e.g. TAG=aot VARIANT=aot) the image tests build and run that variant instead.
    /// </summary>
    public static string Name(string component) =>
        $"localhost/metallb-net-{component}:{(Environment.GetEnvironmentVariable("TAG") is { Length: > 0 } tag ? tag : "dev")}";

    /// <summary>
    /// The resident set of a running container's main process (VmRSS of its PID as the host sees
    /// it), in MiB, or null when it is not running. Printed by the image tests for docs/benchmarks.md.
    /// </summary>
    public static async Task<double?> RssMiBAsync(string container)
    {
        using var inspect = Process.Start(Podman(["inspect", "--format", "{{.State.Pid}}", container]))!;
        string pid = (await inspect.StandardOutput.ReadToEndAsync()).Trim();
        await inspect.WaitForExitAsync();
        string status = $"/proc/{pid}/status";
        if (inspect.ExitCode != 0 || pid is "" or "0" || !File.Exists(status))
            return null;
        string? line = (await File.ReadAllLinesAsync(status)).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>
    /// Prints the image's size and the container's RSS, and with METALLB_NET_IMAGE_FIGURES set
    /// appends them to that file as one tab-separated line (image, variant, size in bytes, RSS in
    /// MiB, scenario) for scripts/images/measure.sh, which fills docs/benchmarks.md from it.
    /// </summary>
    public static async Task RecordAsync(Action<string> output, string image, string container, string scenario)
    {
        ArgumentNullException.ThrowIfNull(output);
        double? rss = await RssMiBAsync(container);
        using var inspect = Process.Start(Podman(["image", "inspect", "--format", "{{.Size}}\t{{ index .Labels \"io.metallb-net.variant\" }}", image]))!;
        string[] fields = (await inspect.StandardOutput.ReadToEndAsync()).Trim().Split('\t');
        await inspect.WaitForExitAsync();
        string size = long.TryParse(fields[0], out long bytes) ? $"{bytes / 1e6:0} MB" : fields[0];
        string variant = fields.Length > 1 ? fields[1] : "";
        output($"{image} ({variant}, {size}): RSS {rss:0.0} MiB {scenario}");
        if (Environment.GetEnvironmentVariable("METALLB_NET_IMAGE_FIGURES") is { Length: > 0 } file)
            await File.AppendAllTextAsync(file, string.Join('\t', image, variant, fields[0], rss?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "", scenario) + "\n");
    }

    public static void RequireRoot()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            throw Prerequisite.Missing("running containers with buildah/podman here needs root");
    }

    public static ProcessStartInfo Podman(IEnumerable<string> args)
    {
        string podman = Prerequisite.Require(Prerequisite.Find("podman", "/usr/bin/podman"), "podman", "scripts/images/build.sh");
        var psi = new ProcessStartInfo(podman) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        // This kernel refuses podman's default ulimits (RLIMIT_NOFILE above its limit), so the
        // containers.conf given to podman sets none.
        string conf = Path.Combine(Path.GetTempPath(), "mlb-installable-containers.conf");
        File.WriteAllText(conf, "[containers]\ndefault_ulimits = []\n");
        psi.Environment["CONTAINERS_CONF"] = conf;
        return psi;
    }

    /// <summary>podman run with runc and cgroupfs, the way that works on this kernel.</summary>
    public static ProcessStartInfo PodmanRun(IEnumerable<string> args) =>
        Podman(["--cgroup-manager=cgroupfs", "--runtime=runc", "run", .. args]);

    public static async Task RemoveAsync(string container)
    {
        using var rm = Process.Start(Podman(["rm", "-f", "--time", "2", container]))!;
        await rm.WaitForExitAsync();
    }

    /// <summary>Builds <paramref name="component"/>'s image unless one built from the current sources is there.</summary>
    public static async Task EnsureAsync(string component)
    {
        await Building.WaitAsync();
        try
        {
            string wanted = (await RunAsync("bash", [Path.Combine(RepoPaths.Root, "scripts", "images", "inputs-hash.sh"), component], TimeSpan.FromMinutes(1))).Trim();
            string label = "";
            if (Prerequisite.Find("podman", "/usr/bin/podman") is not null)
            {
                using var inspect = Process.Start(Podman(["image", "inspect", "--format", "{{ index .Labels \"io.metallb-net.inputs\" }}", Name(component)]))!;
                label = (await inspect.StandardOutput.ReadToEndAsync()).Trim();
                await inspect.WaitForExitAsync();
            }
            if (label == wanted)
                return;
            var env = new Dictionary<string, string> { ["ONLY"] = component };
            // A Native AOT publish (the default variant) took up to 29 min on this shared machine at load 40-58.
            await RunAsync("bash", [Path.Combine(RepoPaths.Root, "scripts", "images", "build.sh")], TimeSpan.FromMinutes(45), env);
        }
        finally
        {
            Building.Release();
        }
    }

    private static async Task<string> RunAsync(string file, string[] args, TimeSpan deadline, Dictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? [])
            psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(deadline);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {deadline}");
        }
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await stderr}\n{await stdout}");
        return await stdout;
    }
}
