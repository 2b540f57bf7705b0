using System.Text.Json.Nodes;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Cli.Tests;

/// <summary>
/// Whole plans: Cases/&lt;name&gt;/input.yaml (its first line cites the upstream behaviour) and
/// expected.json, the exact `plan --output json`. Update on purpose only:
/// UPDATE_GOLDEN=1 dotnet test tests/MetalLb.Net.Cli.Tests --filter PlanGoldenTests
/// rewrites expected.json files; read the diff before committing it.
/// </summary>
public sealed class PlanGoldenTests
{
    private static readonly string CasesDir = Path.Combine(RepoPaths.Root, "tests", "MetalLb.Net.Cli.Tests", "Cases");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(CasesDir).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan_matches_the_golden_file(string name)
    {
        var dir = Path.Combine(CasesDir, name);
        var run = CliRun.Of(["plan", "--output", "json", Path.Combine(dir, "input.yaml")]);
        Assert.True(run.ExitCode is 0 or 1, $"{name}: exit {run.ExitCode}: {run.Stderr}");
        var expectedFile = Path.Combine(dir, "expected.json");
        if (Regenerate.Requested("UPDATE_GOLDEN"))
        {
            File.WriteAllText(expectedFile, run.Stdout);
            return;
        }
        var expected = JsonNode.Parse(File.ReadAllText(expectedFile))!;
        var actual = JsonNode.Parse(run.Stdout)!;
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{name}: plan differs from expected.json\nexpected:\n{expected}\nactual:\n{actual}");
        Assert.Equal(expected["valid"]!.GetValue<bool>() ? 0 : 1, run.ExitCode);
    }

    [Fact]
    public void There_are_golden_cases_and_each_cites_what_it_encodes()
    {
        var names = Directory.GetDirectories(CasesDir);
        Assert.True(names.Length >= 20, $"only {names.Length} golden cases");
        foreach (var dir in names)
            Assert.StartsWith("# ", File.ReadLines(Path.Combine(dir, "input.yaml")).First(), StringComparison.Ordinal);
    }
}
