namespace MetalLb.Net.Api.Crds;

/// <summary>One generated CRD: the file name under deploy/crds/ and its YAML text.</summary>
public sealed record CrdManifest(string FileName, string Yaml);
