namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// The links an L2 winner answers on: every link (<see cref="All"/>), or the union of the
/// advertisements' spec.interfaces (docs/upstream-speaker.md §4.3), sorted.
/// </summary>
public sealed record AnnounceInterfaces(bool All, IReadOnlyList<string> Names)
{
    public static readonly AnnounceInterfaces Every = new(true, []);

    /// <summary>True when the responder on <paramref name="link"/> may answer for the IP.</summary>
    public bool Allows(string link) => All || Names.Contains(link);

    // Records compare lists by reference; two answers naming the same links are the same answer.
    public bool Equals(AnnounceInterfaces? other) =>
        other is not null && All == other.All && Names.SequenceEqual(other.Names, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(All, Names.Count);

    public override string ToString() => All ? "*" : string.Join(",", Names);
}
