using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MetalLb.Net.Layer2.Sockets;

/// <summary>
/// Classic BPF programs attached with SO_ATTACH_FILTER, so the kernel hands us only what we may
/// answer: not our own outgoing frames, and on the IPv6 socket only Neighbor Solicitations (the
/// rest of the node's IPv6 traffic never gets copied to user space).
/// </summary>
internal static class PacketFilters
{
    private const ushort LdW = 0x20, LdH = 0x28, LdB = 0x30, Jeq = 0x15, Ret = 0x06;
    private const uint AncPktType = 0xFFFF_F000 + 4;   // SKF_AD_OFF + SKF_AD_PKTTYPE
    private const uint PacketOutgoing = 4;
    private const uint Accept = 0xFFFF, Drop = 0;

    // ld pkttype; jeq OUTGOING -> drop; ldh [20] (ARP opcode); jeq 1 -> accept; drop.
    public static readonly (ushort Code, byte Jt, byte Jf, uint K)[] ArpRequests =
    [
        (LdW, 0, 0, AncPktType), (Jeq, 3, 0, PacketOutgoing),
        (LdH, 0, 0, 20), (Jeq, 0, 1, 1),
        (Ret, 0, 0, Accept), (Ret, 0, 0, Drop),
    ];

    // ld pkttype; jeq OUTGOING -> drop; ldb [20] (next header); jeq 58 else drop;
    // ldb [54] (ICMPv6 type); jeq 135 -> accept; drop.
    public static readonly (ushort Code, byte Jt, byte Jf, uint K)[] NeighborSolicitations =
    [
        (LdW, 0, 0, AncPktType), (Jeq, 5, 0, PacketOutgoing),
        (LdB, 0, 0, 20), (Jeq, 0, 3, 58),
        (LdB, 0, 0, 54), (Jeq, 0, 1, 135),
        (Ret, 0, 0, Accept), (Ret, 0, 0, Drop),
    ];

    public static void Attach(Socket socket, (ushort Code, byte Jt, byte Jf, uint K)[] program)
    {
        // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; } and
        // struct sock_fprog { u16 len; (pad); struct sock_filter *filter; }. The kernel copies the
        // program during setsockopt, so the pin only has to outlive the call.
        var instructions = new byte[program.Length * 8];
        for (int i = 0; i < program.Length; i++)
        {
            var span = instructions.AsSpan(i * 8);
            BinaryPrimitives.WriteUInt16LittleEndian(span, program[i].Code);
            span[2] = program[i].Jt;
            span[3] = program[i].Jf;
            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], program[i].K);
        }
        var pin = GCHandle.Alloc(instructions, GCHandleType.Pinned);
        try
        {
            var fprog = new byte[16];
            BinaryPrimitives.WriteUInt16LittleEndian(fprog, (ushort)program.Length);
            BinaryPrimitives.WriteInt64LittleEndian(fprog.AsSpan(8), pin.AddrOfPinnedObject().ToInt64());
            socket.SetRawSocketOption(1 /* SOL_SOCKET */, 26 /* SO_ATTACH_FILTER */, fprog);
        }
        finally
        {
            pin.Free();
        }
    }
}
