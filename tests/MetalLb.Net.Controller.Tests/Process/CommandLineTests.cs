namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>The executable's flags as a user meets them: a clear refusal, and a help that names every flag.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class CommandLineTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_unknown_log_level_exits_2_and_says_which_levels_exist()
    {
        var (code, stdout, stderr) = await ControllerProcess.RunAsync(Deadline, "--log-level", "loud");

        Assert.True(code == 2, $"exit {code}\nstdout: {stdout}\nstderr: {stderr}");
        Assert.Contains("unknown log level \"loud\"", stderr, StringComparison.Ordinal);
        Assert.Contains("all, debug, info, warn, error or none", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_exits_0_and_names_every_flag()
    {
        var (code, stdout, stderr) = await ControllerProcess.RunAsync(Deadline, "--help");

        Assert.True(code == 0, $"exit {code}\nstdout: {stdout}\nstderr: {stderr}");
        foreach (string flag in (string[])["--kubeconfig", "--namespace", "--port", "--metrics-bind-address", "--leader-elect",
                     "--lease-name", "--lease-duration", "--identity", "--log-level", "--lb-class"])
            Assert.Contains(flag, stdout, StringComparison.Ordinal);
        Assert.Contains("metallb-net-controller", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--port", "abc")]
    public async Task An_unknown_flag_or_a_bad_value_exits_2_and_names_it(params string[] args)
    {
        var (code, stdout, stderr) = await ControllerProcess.RunAsync(Deadline, args);

        Assert.True(code == 2, $"exit {code}\nstdout: {stdout}\nstderr: {stderr}");
        Assert.Contains(args[^1], stderr, StringComparison.Ordinal);
        Assert.Contains("--help", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kubeconfig_that_does_not_exist_exits_2_naming_the_file()
    {
        string missing = Path.Combine(Path.GetTempPath(), "mlb-no-such-dir", "kubeconfig");
        var (code, stdout, stderr) = await ControllerProcess.RunAsync(Deadline, "--kubeconfig", missing, "--port", "0");

        Assert.True(code == 2, $"exit {code}\nstdout: {stdout}\nstderr: {stderr}");
        Assert.Contains("mlb-no-such-dir", stderr, StringComparison.Ordinal);
    }
}
