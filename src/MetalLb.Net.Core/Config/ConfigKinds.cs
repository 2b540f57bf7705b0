namespace MetalLb.Net.Core.Config;

/// <summary>The kind names errors blame: the CRD kinds, so users can find the object.</summary>
public static class ConfigKinds
{
    public const string IPAddressPool = "IPAddressPool";
    public const string Community = "Community";
    public const string L2Advertisement = "L2Advertisement";
    public const string BGPAdvertisement = "BGPAdvertisement";
    public const string BGPPeer = "BGPPeer";
    public const string BFDProfile = "BFDProfile";
}
