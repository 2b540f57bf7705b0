using Xunit.Abstractions;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>--port 0 turns the HTTP endpoint off: the process allocates but listens on nothing.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class NoEndpointTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_port_0_the_controller_allocates_and_listens_on_no_TCP_port()
    {
        await using var lab = await ProcessLab.StartAsync(output);
        await lab.CreatePoolAsync("p", "192.0.2.0/30");
        using var controller = ControllerProcess.Start("quiet", 0,
            ["--kubeconfig", lab.Kubeconfig, "--namespace", ProcessLab.Ns, "--port", "0", "--identity", "quiet",
             // The webhook is a listener by nature; this test is about the metrics port.
             "--webhook-mode=disabled"]);
        await lab.CreateServiceAsync("a");
        Assert.Equal(["192.0.2.0"], await lab.WaitForIPsAsync("a"));

        Assert.True(ListeningSockets(controller.Pid) == 0, $"listening sockets found\n{controller.Output}");
    }

    /// <summary>TCP sockets in LISTEN (state 0A) among the process's open file descriptors.</summary>
    private static int ListeningSockets(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string fd in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            string? target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                inodes.Add(target[8..^1]);
        }
        int listening = 0;
        foreach (string table in (string[])[$"/proc/{pid}/net/tcp", $"/proc/{pid}/net/tcp6"])
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 9 && f[3] == "0A" && inodes.Contains(f[9]))
                    listening++;
            }
        return listening;
    }
}
