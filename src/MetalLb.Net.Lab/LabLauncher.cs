using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace MetalLb.Net.Lab;

/// <summary>
/// `lab up` without --foreground: starts `metallb-net lab up --foreground` in its own session
/// (setsid, so closing the terminal does not end the lab) with its output going to lab.log,
/// relays that log as progress until the lab says it is up or failed, and returns. The lab keeps
/// running until `lab down`.
/// </summary>
public static class LabLauncher
{
    public const int Up = 0, Failed = 1;

    public static int Start(LabSettings settings, IReadOnlyList<string> foregroundArgs, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(foregroundArgs);
        ArgumentNullException.ThrowIfNull(output);
        Directory.CreateDirectory(LabPaths.Dir(settings.Name));
        string log = LabPaths.Log(settings.Name);
        File.WriteAllText(log, "");
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // The arguments reach the lab as "$@": no quoting by hand.
        foreach (string a in (string[])["-c", "exec setsid \"$@\" </dev/null >>\"$METALLB_NET_LAB_LOG\" 2>&1", "sh", .. Self(), .. foregroundArgs])
            psi.ArgumentList.Add(a);
        psi.Environment["METALLB_NET_LAB_LOG"] = log;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the lab");
        using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        var line = new StringBuilder();
        while (true)
        {
            string? text = reader.ReadLine();
            if (text is null)
            {
                if (process.HasExited)
                {
                    // Whatever it wrote last, then why it ended.
                    while (reader.ReadLine() is { } rest)
                        output.WriteLine(rest);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"lab up: the lab process exited ({process.ExitCode}) before it was up; `metallb-net lab down --name {settings.Name}` removes anything it left"));
                    return Failed;
                }
                process.WaitForExit(100);   // the lab is still writing: look again shortly
                continue;
            }
            output.WriteLine(text);
            output.Flush();
            if (text == LabRunner.ReadyLine)
                return Up;
            if (text.Contains(LabRunner.FailedPrefix, StringComparison.Ordinal))
            {
                // It removes what it made; wait for that so a next `lab up` starts clean.
                while (!process.WaitForExit(100))
                    while (reader.ReadLine() is { } more)
                        output.WriteLine(more);
                while (reader.ReadLine() is { } rest)
                    output.WriteLine(rest);
                return Failed;
            }
        }
    }

    /// <summary>How to run this program again: the apphost, or `dotnet metallb-net.dll`.</summary>
    private static string[] Self()
    {
        string path = Environment.ProcessPath ?? throw new InvalidOperationException("the program's path is unknown");
        return Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? [path, Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("the entry assembly is unknown")]
            : [path];
    }
}
