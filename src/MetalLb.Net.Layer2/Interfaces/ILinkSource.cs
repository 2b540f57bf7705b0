namespace MetalLb.Net.Layer2.Interfaces;

/// <summary>Lists the node's links; netlink in production, a list in tests.</summary>
public interface ILinkSource
{
    IReadOnlyList<LinkInfo> ReadLinks();
}
