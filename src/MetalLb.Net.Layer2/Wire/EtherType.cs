namespace MetalLb.Net.Layer2.Wire;

/// <summary>IEEE 802 EtherType values this library reads. Append only: values are on the wire.</summary>
public enum EtherType : ushort
{
    IPv4 = 0x0800,
    Arp = 0x0806,
    Vlan = 0x8100,
    IPv6 = 0x86DD,
}
