using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// What one speaker knows when it decides its services: its node, the configuration parsed
/// from <see cref="NodeConfigFilter.ForNode"/>, every Node, the live speakers and its flags.
/// A scope is a snapshot: build a new one when any of these change. <see cref="NodeAnnouncer"/>
/// works out what does not depend on the service (node eligibility, candidate sets, this
/// node's peers) once per scope instance, so keep using the same instance for a resync.
/// </summary>
/// <param name="NodeName">This speaker's node.</param>
/// <param name="Config">Parsed from <see cref="NodeConfigFilter.ForNode"/>.</param>
/// <param name="Nodes">Every Node object.</param>
/// <param name="LiveSpeakers">Memberlist members; null = memberlist disabled, every node has a speaker.</param>
/// <param name="IgnoreExcludeLabel">The speaker's --ignore-exclude-lb.</param>
public sealed record SpeakerScope(
    string NodeName,
    MetalLbConfig Config,
    IReadOnlyList<Node> Nodes,
    IReadOnlySet<string>? LiveSpeakers,
    bool IgnoreExcludeLabel);
