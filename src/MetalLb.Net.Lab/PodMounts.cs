using System.Globalization;
using System.Text;

namespace MetalLb.Net.Lab;

/// <summary>
/// The shell steps that make a pod's filesystem view inside its private mount namespace: each
/// volume (and the ServiceAccount token) bind-mounted read-only at its mountPath, as the kubelet
/// mounts Secret, ConfigMap and projected volumes, then / remounted read-only when the container
/// asks for readOnlyRootFilesystem. A mount point the host lacks (/etc/metallb) is made inside an
/// overlay of its nearest existing folder whose upper layer is a tmpfs of that namespace, so the
/// host's own /etc is never written.
/// </summary>
public static class PodMounts
{
    /// <summary>The script (each line ends in a newline; `set -e` stops at the first failing step).</summary>
    /// <param name="mounts">(mount path in the pod, folder on the host).</param>
    /// <param name="overlays">An empty host folder of the pod's on which the overlays' tmpfs is mounted.</param>
    /// <param name="readOnlyRoot">readOnlyRootFilesystem: remount / read-only last.</param>
    public static string Script(IReadOnlyList<(string MountPath, string Folder)> mounts, string overlays, bool readOnlyRoot)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        var sb = new StringBuilder("set -e\n");
        var missing = mounts.Select(m => m.MountPath).Where(p => !Directory.Exists(p)).ToList();
        var lowers = missing.Select(NearestExisting).Distinct(StringComparer.Ordinal).OrderBy(p => p.Length).ToList();
        // One overlay per top-most folder: a folder under another overlaid one is already covered.
        lowers = [.. lowers.Where(l => !lowers.Any(o => o != l && Under(l, o)))];
        if (lowers.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"mount -t tmpfs -o mode=0755 pod-overlays {Q(overlays)}\n");
            for (int i = 0; i < lowers.Count; i++)
            {
                string lower = lowers[i];
                if (lower == "/")
                    throw new InvalidOperationException($"mount paths {string.Join(", ", missing)}: the lab makes missing mount points in an overlay of their parent folder, and cannot overlay /");
                if (SubMounts(lower) is { Count: > 0 } hidden)
                    throw new InvalidOperationException($"mount paths {string.Join(", ", missing)}: an overlay of {lower} would hide the mounts {string.Join(", ", hidden)}");
                string upper = $"{overlays}/{i}/upper", work = $"{overlays}/{i}/work";
                sb.Append(CultureInfo.InvariantCulture, $"mkdir -p {Q(upper)} {Q(work)}\n");
                sb.Append(CultureInfo.InvariantCulture, $"mount -t overlay pod-overlay -o {Q($"lowerdir={lower},upperdir={upper},workdir={work}")} {Q(lower)}\n");
            }
        }
        foreach (var (mountPath, folder) in mounts)
        {
            sb.Append(CultureInfo.InvariantCulture, $"mkdir -p {Q(mountPath)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"mount --bind -o ro {Q(folder)} {Q(mountPath)}\n");
        }
        if (readOnlyRoot)
            sb.Append("mount -o remount,bind,ro /\n");
        return sb.ToString();
    }

    private static string NearestExisting(string path)
    {
        var d = new DirectoryInfo(path);
        while (d.Parent is not null && !d.Exists)
            d = d.Parent;
        return d.FullName;
    }

    private static bool Under(string path, string folder) =>
        folder == "/" || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>Mount points below <paramref name="folder"/> in this mount namespace (field 5 of /proc/self/mountinfo).</summary>
    private static List<string> SubMounts(string folder) =>
        [.. File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(m => Under(m, folder)).Distinct(StringComparer.Ordinal)];

    /// <summary>A single-quoted shell word.</summary>
    private static string Q(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
