using System.Globalization;
using System.Text;

namespace MetalLb.Net.Lab;

/// <summary>
/// One VRRP virtual router run by keepalived on the lab's nodes, the reference that MetalLB's L2
/// failover is measured beside: the same LAN, the same backends, one address moved between nodes.
/// </summary>
/// <param name="VirtualRouterId">VRID, 1..255 (RFC 5798 5.2.3); also names the instance.</param>
/// <param name="Vip">The virtual IPv4 address, outside the lab's pools.</param>
/// <param name="AdvertInterval">Advertisement interval; VRRPv3 counts it in centiseconds (RFC 5798 5.2.7), so 0.01 s to 40.95 s.</param>
public sealed record KeepalivedRouter(int VirtualRouterId, string Vip, TimeSpan AdvertInterval)
{
    /// <summary>"vr51", for file and process names.</summary>
    public string Tag => string.Create(CultureInfo.InvariantCulture, $"vr{VirtualRouterId}");

    /// <summary>
    /// The priority of the node at <paramref name="index"/> (0-based): the first node is the
    /// master whenever it runs (preemption is keepalived's default), the others back it up in
    /// order, as MetalLB's speakers agree on one owner per IP.
    /// </summary>
    public static int Priority(int index) => Math.Max(1, 200 - (10 * index));

    /// <summary>
    /// keepalived.conf for one node. Every node starts as BACKUP and the priorities decide, so a
    /// restarted master takes the address back (RFC 5798 6.4.2, Preempt_Mode). No scripts, no
    /// tracking: the node's VRRP process itself is what fails.
    /// </summary>
    public string Render(string nodeName, int priority, string iface)
    {
        if (VirtualRouterId is < 1 or > 255)
            throw new InvalidOperationException($"virtual_router_id {VirtualRouterId}: 1 to 255");
        // 255 is the address owner's priority, 0 means "I am leaving" (RFC 5798 5.2.4).
        ArgumentOutOfRangeException.ThrowIfLessThan(priority, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priority, 254);
        long centis = (long)Math.Round(AdvertInterval.TotalMilliseconds / 10);
        if (centis is < 1 or > 4095)
            throw new InvalidOperationException($"advert_int {AdvertInterval}: VRRPv3 allows 0.01 s to 40.95 s");
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $$"""
            # Written by metallb-net's lab: the VRRPv3 reference beside MetalLB (docs/lab.md, Failover).
            global_defs {
                router_id {{nodeName}}-{{Tag}}
                # Sub-second advertisements need VRRPv3 (RFC 5798); VRRPv2 counts whole seconds.
                vrrp_version 3
            }

            vrrp_instance {{Tag}} {
                state BACKUP
                interface {{iface}}
                virtual_router_id {{VirtualRouterId}}
                priority {{priority}}
                advert_int {{(centis / 100.0).ToString("0.##", CultureInfo.InvariantCulture)}}
                virtual_ipaddress {
                    {{Vip}}/32 dev {{iface}}
                }
            }

            """);
        return sb.ToString();
    }
}
