using MetalLb.Net.Bgp.Bfd.Wire;
using MetalLb.Net.Bgp.Session;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>
/// The RFC 5882 hook between the two engines, for a host that names each BFD session after its
/// BGP peer: a failure (Up to Down, not AdminDown) takes that BGP session down at once and
/// holds it; BFD Up lets it start again. Dispose to unhook.
/// </summary>
public sealed class BfdBgpBinding : IDisposable
{
    private readonly BfdEngine _bfd;
    private readonly BgpSpeaker _bgp;

    public BfdBgpBinding(BfdEngine bfd, BgpSpeaker bgp)
    {
        ArgumentNullException.ThrowIfNull(bfd);
        ArgumentNullException.ThrowIfNull(bgp);
        _bfd = bfd;
        _bgp = bgp;
        _bfd.StateChanged += OnChange;
    }

    private void OnChange(BfdSessionStateChange change)
    {
        // RFC 5882 §3.2: AdminDown (ours or the peer's) is not a failure; BGP carries on.
        if (change.IsFailure)
            _bgp.SetPeerReachable(change.Key, reachable: false);
        else if (change.To == BfdState.Up)
            _bgp.SetPeerReachable(change.Key, reachable: true);
    }

    public void Dispose() => _bfd.StateChanged -= OnChange;
}
