namespace MetalLb.Net.Layer2.Wire;

/// <summary>ARP opcodes (RFC 826 ar$op). Append only: values are on the wire.</summary>
public enum ArpOperation : ushort
{
    Request = 1,
    Reply = 2,
}
