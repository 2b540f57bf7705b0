namespace MetalLb.Net.Api.Tests.Crds;

/// <summary>
/// Tests that read deploy/crds run one after another with the test that rewrites it
/// (UPDATE_CRDS=1), so none of them reads a half-written file.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CrdFilesCollection
{
    public const string Name = "deploy/crds files";
}
