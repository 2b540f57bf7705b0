namespace MetalLb.Net.Cli.Tests;

/// <summary>Runs `metallb-net` in-process and captures what a user would see.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static CliRun Of(string[] args, string stdin = "")
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = CliApp.Run(args, new StringReader(stdin), output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Writes the text to a fresh temporary file and plans it.</summary>
    public static CliRun OfYaml(string yaml, params string[] extraArgs)
    {
        var dir = Directory.CreateTempSubdirectory("mlb-cli-");
        try
        {
            var file = Path.Combine(dir.FullName, "input.yaml");
            File.WriteAllText(file, yaml);
            var run = Of(["plan", .. extraArgs, file]);
            return run with { Stderr = run.Stderr.Replace(file, "input.yaml", StringComparison.Ordinal) };
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
