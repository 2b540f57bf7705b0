namespace MetalLb.Net.Core.Config;

/// <summary>
/// One thing wrong with the configuration: the object to blame (kind and name) and what to fix.
/// Transient errors name something that may appear later (a missing Secret, BFDProfile or
/// Community alias); they still make the configuration invalid, as upstream's speaker refuses it.
/// </summary>
public sealed record ConfigError(string Kind, string Name, string Message, bool Transient = false)
{
    public override string ToString() => $"{Kind} \"{Name}\": {Message}";
}
