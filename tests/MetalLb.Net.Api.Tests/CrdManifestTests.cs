using MetalLb.Net.Api.Crds;
using MetalLb.Net.Api.Tests.Crds;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Api.Tests;

/// <summary>
/// deploy/crds is generated from the model types; this test is what keeps it in step.
/// With UPDATE_CRDS=1 it rewrites the files instead of comparing (and fails only if it cannot).
/// </summary>
[Collection(CrdFilesCollection.Name)]
public sealed class CrdManifestTests
{
    private const string HowToRegenerate =
        "Regenerate with: UPDATE_CRDS=1 dotnet test tests/MetalLb.Net.Api.Tests --filter CrdManifestTests, then commit deploy/crds.";

    [Fact]
    public void Committed_crd_files_match_the_model_types()
    {
        var generated = CrdGenerator.GenerateAll();
        if (Regenerate.Requested("UPDATE_CRDS"))
        {
            Update(generated);
            return;
        }

        var problems = new List<string>();
        foreach (var manifest in generated)
        {
            var path = Path.Combine(RepoPaths.Crds, manifest.FileName);
            if (!File.Exists(path))
                problems.Add($"{manifest.FileName} is missing");
            else if (File.ReadAllText(path).ReplaceLineEndings("\n") != manifest.Yaml)
                problems.Add($"{manifest.FileName} is stale");
        }
        problems.AddRange(Orphans(generated).Select(f => $"{Path.GetFileName(f)} is no longer generated"));

        Assert.True(problems.Count == 0,
            $"deploy/crds differs from the model types: {string.Join("; ", problems)}. {HowToRegenerate}");
    }

    [Fact]
    public void Every_metallb_kind_gets_its_own_file()
    {
        var names = CrdGenerator.GenerateAll().Select(m => m.FileName).ToList();

        Assert.Equal(
            [
                "metallb.io_bfdprofiles.yaml", "metallb.io_bgpadvertisements.yaml", "metallb.io_bgppeers.yaml",
                "metallb.io_communities.yaml", "metallb.io_configurationstates.yaml", "metallb.io_ipaddresspools.yaml",
                "metallb.io_l2advertisements.yaml", "metallb.io_servicebgpstatuses.yaml", "metallb.io_servicel2statuses.yaml",
            ],
            names);
    }

    [Fact]
    public void Generating_twice_gives_the_same_text()
    {
        var first = CrdGenerator.GenerateAll();
        var second = CrdGenerator.GenerateAll();

        Assert.Equal(first, second);
    }

    private static void Update(IReadOnlyList<CrdManifest> generated)
    {
        try
        {
            Directory.CreateDirectory(RepoPaths.Crds);
            foreach (var manifest in generated)
                File.WriteAllText(Path.Combine(RepoPaths.Crds, manifest.FileName), manifest.Yaml);
            foreach (var orphan in Orphans(generated))
                File.Delete(orphan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Assert.Fail($"UPDATE_CRDS=1 but {RepoPaths.Crds} could not be written: {e.Message}");
        }
    }

    // Only our own naming pattern: other files in deploy/crds (a kustomization, a README)
    // are not the generator's business.
    private static List<string> Orphans(IReadOnlyList<CrdManifest> generated) =>
        Directory.Exists(RepoPaths.Crds)
            ? Directory.EnumerateFiles(RepoPaths.Crds, CrdGenerator.Group + "_*.yaml")
                .Where(f => !generated.Any(m => m.FileName == Path.GetFileName(f)))
                .ToList()
            : [];
}
