using System.Net;

namespace MetalLb.Net.Layer2.Responders;

/// <summary>An owned IP with its metrics label precomputed, so answering a request allocates nothing.</summary>
public sealed class OwnedAddress(IPAddress address)
{
    public IPAddress Address { get; } = address;

    /// <summary>The <c>ip</c> label of the metallb_layer2_* counters.</summary>
    public KeyValuePair<string, object?> IpLabel { get; } = new("ip", address.ToString());
}
