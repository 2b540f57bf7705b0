using System.Net;
using System.Numerics;

namespace MetalLb.Net.KubeEmulator.Types;

/// <summary>
/// Cluster IPs from the service CIDRs (10.96.0.0/12 and fd00:10:96::/112, kubeadm's and kind's
/// defaults) and node ports from 30000-32767, as the real server's allocators hand them out.
/// Sequential rather than random, so test output is stable. Callers hold the store's gate.
/// </summary>
internal sealed class ServiceAllocator
{
    private static readonly (BigInteger First, BigInteger Last, bool V6) V4 = Range("10.96.0.0", 12, v6: false);
    private static readonly (BigInteger First, BigInteger Last, bool V6) V6 = Range("fd00:10:96::", 112, v6: true);

    public const int NodePortMin = 30000;
    public const int NodePortMax = 32767;

    private readonly HashSet<string> _ips = new(StringComparer.Ordinal);
    private readonly HashSet<int> _ports = [];

    // Where the next search starts, so allocating many IPs stays linear overall (a benchmark
    // creates 10,000 Services); the search wraps around to reuse released addresses.
    private BigInteger _nextV4 = V4.First + 10;
    private BigInteger _nextV6 = V6.First + 10;
    private int _nextPort = NodePortMin;

    public bool InRange(string ip, bool v6)
    {
        if (!IPAddress.TryParse(ip, out var a))
            return false;
        var r = v6 ? V6 : V4;
        var n = new BigInteger(a.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        return n >= r.First && n <= r.Last && (a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) == v6;
    }

    public bool TryReserveIp(string ip) => _ips.Add(Normalize(ip));

    public string? AllocateIp(bool v6)
    {
        var r = v6 ? V6 : V4;
        // .0 is the network, .1 is the "kubernetes" Service by convention; start at 10.
        var first = r.First + 10;
        var size = (long)BigInteger.Min(r.Last - first, 1 << 20);
        var n = v6 ? _nextV6 : _nextV4;
        for (long tried = 0; tried < size; tried++, n++)
        {
            if (n >= r.Last)
                n = first;
            var ip = ToAddress(n, v6);
            if (_ips.Add(ip))
            {
                if (v6)
                    _nextV6 = n + 1;
                else
                    _nextV4 = n + 1;
                return ip;
            }
        }
        return null;
    }

    public void ReleaseIp(string ip) => _ips.Remove(Normalize(ip));

    public bool TryReservePort(int port) => _ports.Add(port);

    public int? AllocatePort()
    {
        for (int tried = 0, p = _nextPort; tried <= NodePortMax - NodePortMin; tried++, p++)
        {
            if (p > NodePortMax)
                p = NodePortMin;
            if (_ports.Add(p))
            {
                _nextPort = p + 1;
                return p;
            }
        }
        return null;
    }

    public void ReleasePort(int port) => _ports.Remove(port);

    private static string Normalize(string ip) => IPAddress.TryParse(ip, out var a) ? a.ToString() : ip;

    private static string ToAddress(BigInteger n, bool v6)
    {
        var bytes = n.ToByteArray(isUnsigned: true, isBigEndian: true);
        var full = new byte[v6 ? 16 : 4];
        bytes.CopyTo(full, full.Length - bytes.Length);
        return new IPAddress(full).ToString();
    }

    private static (BigInteger, BigInteger, bool) Range(string network, int prefix, bool v6)
    {
        var first = new BigInteger(IPAddress.Parse(network).GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        int bits = v6 ? 128 : 32;
        return (first, first + (BigInteger.One << (bits - prefix)) - 1, v6);
    }
}
