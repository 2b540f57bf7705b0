using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;

namespace MetalLb.Net.Controller.Bench;

/// <summary>The objects the benchmark creates and the writes its baseline makes.</summary>
internal static class BenchObjects
{
    public const string MetalLbNamespace = "metallb-system";
    public const string Pool = "bench";

    // The /22 holds 1,024 IPv4 addresses, enough for 1,000 single-stack Services without
    // avoidBuggyIPs (the runs recorded at 1,000 used exactly this pool); the /64 is there so the
    // pool is dual-stack, as most real pools are, though IPv4 Services never draw from it. A
    // larger run gets one range from 198.51.100.0 up, rounded to whole /24s: like the /22 it
    // leaves RFC 5737's 198.51.100.0/24, but these addresses are only data in the emulator's
    // objects; no speaker runs, so none is ever on a wire.
    public static string[] Addresses(int count) => count <= 1_000
        ? ["198.51.100.0/22", "2001:db8::/64"]
        : [$"198.51.100.0-{IPv4(PoolSize(count) - 1)}", "2001:db8::/64"];

    /// <summary>How many IPv4 addresses the pool holds for <paramref name="count"/> Services (with room for the warm-up's 24).</summary>
    public static int PoolSize(int count) => count <= 1_000 ? 1_024 : (count + 24 + 255) / 256 * 256;

    public static IPAddressPool NewPool(int count) => new()
    {
        Metadata = new ObjectMeta { Name = Pool, Namespace = MetalLbNamespace },
        Spec = new IPAddressPoolSpec { Addresses = [.. Addresses(count)] },
    };

    /// <summary>A LoadBalancer Service as an application would create it: one port, a selector, no MetalLB annotations.</summary>
    public static Service NewService(string ns, int i) => new()
    {
        Metadata = new ObjectMeta { Name = Name(i), Namespace = ns, Labels = new() { ["app"] = $"app-{i % 100}" } },
        Spec = new ServiceSpec
        {
            Type = "LoadBalancer",
            Ports = [new ServicePort { Name = "http", Port = 80, Protocol = "TCP" }],
            Selector = new() { ["app"] = $"app-{i % 100}" },
        },
    };

    public static string Name(int i) => string.Create(CultureInfo.InvariantCulture, $"svc-{i:D4}");

    /// <summary>The i-th address of the IPv4 range, as the allocator would hand them out in order.</summary>
    public static string IPv4(int i)
    {
        byte[] b = IPAddress.Parse("198.51.100.0").GetAddressBytes();
        uint v = ((uint)b[0] << 24 | (uint)b[1] << 16 | (uint)b[2] << 8 | b[3]) + (uint)i;
        return new IPAddress([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]).ToString();
    }

    /// <summary>
    /// The strategic-merge body the controller sends to /status when it first allocates
    /// (ServicePatches.Status for a Service with no ingress and no condition): the ingress list
    /// and our condition, with the same fields and message shape.
    /// </summary>
    public static string StatusPatch(string ip, DateTimeOffset now) => new JsonObject
    {
        ["status"] = new JsonObject
        {
            ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = ip }) },
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "metallb.io/IPAllocated",
                ["status"] = "True",
                ["reason"] = "Allocated",
                ["message"] = $"{ip} from IPAddressPool \"{Pool}\"",
                ["lastTransitionTime"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["observedGeneration"] = 1,
            }),
        },
    }.ToJsonString();

    /// <summary>The merge-patch body of the controller's second write (ServicePatches.Annotation).</summary>
    public static string AnnotationPatch() => new JsonObject
    {
        ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["metallb.io/ip-allocated-from-pool"] = Pool } },
    }.ToJsonString();

    public static IReadOnlyList<string> IPs(Service s) =>
        [.. (s.Status?.LoadBalancer?.Ingress ?? []).Where(i => !string.IsNullOrEmpty(i.IP)).Select(i => i.IP!)];
}
