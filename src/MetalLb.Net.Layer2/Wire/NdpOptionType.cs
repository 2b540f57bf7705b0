namespace MetalLb.Net.Layer2.Wire;

/// <summary>RFC 4861 §4.6 option types. Append only: values are on the wire.</summary>
public enum NdpOptionType : byte
{
    SourceLinkLayerAddress = 1,
    TargetLinkLayerAddress = 2,
}
