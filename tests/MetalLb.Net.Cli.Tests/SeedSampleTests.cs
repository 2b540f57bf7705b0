using System.Text.Json;
using System.Text.Json.Nodes;
using MetalLb.Net.Cli;
using Xunit.Abstractions;

namespace MetalLb.Net.Cli.Tests;

/// <summary>
/// Every YAML sample of the seed articles (../shared/seeds), each with the companions it needs,
/// planned by the CLI and compared with what upstream MetalLB decides (Seeds/*/*/expected.json,
/// written from the reference docs, not from our output). The exit code follows "valid".
/// </summary>
public sealed class SeedSampleTests(ITestOutputHelper output)
{
    private static readonly string SeedsRoot = Path.Combine(AppContext.BaseDirectory, "Seeds");

    /// <summary>
    /// Cases where our plan is known to differ from upstream: case name → the bug. These are
    /// asserted to still disagree, so fixing the bug fails the test until the entry is removed.
    /// </summary>
    private static readonly Dictionary<string, string> KnownDisagreements = new(StringComparer.Ordinal)
    {
    };

    public static TheoryData<string> Cases() => new(CaseNames());

    private static List<string> CaseNames() =>
        [.. from seed in Directory.GetDirectories(SeedsRoot).Order(StringComparer.Ordinal)
            from folder in Directory.GetDirectories(seed).Order(StringComparer.Ordinal)
            select $"{Path.GetFileName(seed)}/{Path.GetFileName(folder)}"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sample_is_planned_as_upstream_would(string name)
    {
        var folder = Path.Combine(SeedsRoot, name);
        var expectedText = File.ReadAllText(Path.Combine(folder, "expected.json"));
        var expected = JsonNode.Parse(expectedText)!;
        int expectedExit = expected["valid"]!.GetValue<bool>() ? CliApp.Valid : CliApp.Invalid;

        var (exit, stdout, stderr) = Plan("--output", "json", Path.Combine(folder, "input.yaml"));
        Assert.True(exit != CliApp.UsageError, $"{name}: the input was not read (exit 2):\n{stderr}");
        var actual = JsonNode.Parse(stdout)!;
        bool same = JsonNode.DeepEquals(expected, actual) && exit == expectedExit;
        string diff = Diff(name, expectedText, expectedExit, stdout, exit, stderr);

        if (KnownDisagreements.TryGetValue(name, out var bug))
        {
            output.WriteLine($"known disagreement: {bug}\n{diff}");
            Assert.False(same, $"{name} now agrees with upstream; remove it from KnownDisagreements ({bug}).");
            return;
        }
        Assert.True(same, diff);
    }

    [Fact]
    public void Every_known_disagreement_names_an_existing_case()
    {
        var cases = CaseNames().ToHashSet(StringComparer.Ordinal);
        Assert.All(KnownDisagreements.Keys, key => Assert.Contains(key, cases));
    }

    [Fact]
    public void There_is_a_case_for_every_sample_of_every_seed()
    {
        // 4 samples in seed 000, 38 in 001 (the last one a multi-document listing), 14 in 002.
        var counts = CaseNames().Select(name => name.Split('/')[0])
            .GroupBy(seed => seed[..3]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["000"] = 4, ["001"] = 38, ["002"] = 14 }, counts);
    }

    [Fact]
    public void Deploy_samples_plan_together_with_every_service_allocated_and_some_announced()
    {
        var samples = Path.Combine(RepoRoot(), "deploy", "samples");
        var (exit, stdout, stderr) = Plan("--output", "json", samples);
        Assert.True(exit == CliApp.Valid, $"exit {exit}\n{stdout}\n{stderr}");
        var plan = JsonNode.Parse(stdout)!;
        Assert.True(plan["valid"]!.GetValue<bool>(), stdout);
        Assert.Empty(plan["errors"]!.AsArray());
        var services = plan["services"]!.AsArray();
        Assert.NotEmpty(services);
        Assert.All(services, s =>
        {
            Assert.True(s!["ips"]!.AsArray().Count > 0, $"{s["namespace"]}/{s["name"]} got no IP: {s["error"]}");
            Assert.Null(s["error"]?.GetValue<string>());
        });
        Assert.Contains(services, s => s!["l2"]!.AsArray().Count > 0 || s["bgp"]!.AsArray().Count > 0);
        // 00-cluster.yaml gives every sample Service a serving endpoint, and two samples advertise
        // every pool over L2 from every node: each IP has its elected node (deploy/samples/README.md).
        Assert.All(services, s => Assert.True(s!["l2"]!.AsArray().Count == s["ips"]!.AsArray().Count,
            $"{s["namespace"]}/{s["name"]} is not announced over L2 for each of its IPs: {s.ToJsonString()}"));

        var (textExit, text, _) = Plan(samples);
        Assert.Equal(CliApp.Valid, textExit);
        foreach (var s in services) Assert.Contains((string)s!["name"]!, text, StringComparison.Ordinal);
    }

    private static (int Exit, string Stdout, string Stderr) Plan(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CliApp.Run(["plan", .. args], TextReader.Null, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Diff(string name, string expected, int expectedExit, string actual, int exit, string stderr)
    {
        static string Canonical(string json) => JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var e = Canonical(expected).Split('\n');
        var a = Canonical(actual).Split('\n');
        var lines = new List<string> { $"{name}: plan differs from upstream (exit expected {expectedExit}, got {exit})." };
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string? x = i < e.Length ? e[i].TrimEnd('\r') : null, y = i < a.Length ? a[i].TrimEnd('\r') : null;
            if (x == y) continue;
            lines.Add($"  first difference at line {i + 1}:\n    expected: {x}\n    actual:   {y}");
            break;
        }
        lines.Add("--- expected\n" + Canonical(expected));
        lines.Add("--- actual\n" + Canonical(actual));
        if (stderr.Length > 0) lines.Add("--- stderr\n" + stderr);
        return string.Join('\n', lines);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MetalLb.Net.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no MetalLb.Net.sln above {AppContext.BaseDirectory}");
    }
}
