using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Http;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Types;

/// <summary>
/// What the real server does to a Service on create and update: defaults (type ClusterIP,
/// sessionAffinity None, protocol TCP, targetPort = port, ipFamilyPolicy SingleStack,
/// internal/externalTrafficPolicy Cluster, allocateLoadBalancerNodePorts true), cluster IPs and
/// node ports allocated, allocated values carried over from the old object when an update
/// leaves them out (so client-side apply keeps them), and the validation our tests rely on.
/// </summary>
internal static class ServiceDefaults
{
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] Policies = ["SingleStack", "PreferDualStack", "RequireDualStack"];

    public static List<FieldError> Apply(JsonObject svc, JsonObject? old, ServiceAllocator alloc)
    {
        var errors = new List<FieldError>();
        var spec = svc["spec"] as JsonObject ?? [];
        svc["spec"] = spec;
        var oldSpec = old?["spec"] as JsonObject;
        var type = Default(spec, "type", "ClusterIP");
        if (!Types.Contains(type))
            errors.Add(FieldError.NotSupported("spec.type", $"\"{type}\"", Types.Select(t => $"\"{t}\"")));
        if (type != "ExternalName")
        {
            Default(spec, "sessionAffinity", "None");
            Default(spec, "internalTrafficPolicy", "Cluster");
        }
        var ports = spec["ports"] as JsonArray ?? [];
        bool headless = Meta.Str(spec, "clusterIP") == "None";
        if (ports.Count == 0 && type != "ExternalName" && !headless)
            errors.Add(FieldError.Required("spec.ports"));
        for (int i = 0; i < ports.Count; i++)
        {
            if (ports[i] is not JsonObject p)
                continue;
            Default(p, "protocol", "TCP");
            if (p["port"] is not JsonValue pv || !pv.TryGetValue<int>(out var port))
                errors.Add(FieldError.Required($"spec.ports[{i}].port"));
            else if (port is < 1 or > 65535)
                errors.Add(FieldError.Invalid($"spec.ports[{i}].port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be between 1 and 65535, inclusive"));
            else if (p["targetPort"] is null)
                p["targetPort"] = port;
        }
        if (oldSpec is not null)
            CarryOver(spec, oldSpec);
        if (oldSpec?["clusterIP"] is { } oldIp && spec["clusterIP"] is { } newIp && !JsonNode.DeepEquals(oldIp, newIp))
            errors.Add(FieldError.Immutable("spec.clusterIP", newIp.ToJsonString()));
        if (errors.Count > 0)
            return errors;

        var taken = new AllocationUndo(alloc);
        if (type != "ExternalName")
            AssignClusterIps(spec, errors, taken, IpsOf(oldSpec).ToHashSet(StringComparer.Ordinal));
        else
        {
            spec.Remove("clusterIP");
            spec.Remove("clusterIPs");
        }
        bool wantsNodePorts = type == "NodePort" || (type == "LoadBalancer" && Default(spec, "allocateLoadBalancerNodePorts", true));
        if (type is "NodePort" or "LoadBalancer")
            Default(spec, "externalTrafficPolicy", "Cluster");
        foreach (var p in ports.OfType<JsonObject>())
        {
            if (!wantsNodePorts)
            {
                if (type is not "NodePort" and not "LoadBalancer")
                    p.Remove("nodePort");
                continue;
            }
            if (p["nodePort"] is JsonValue nv && nv.TryGetValue<int>(out var np))
            {
                bool ours = PortsOf(oldSpec).Contains(np);
                if (!ours && !taken.ReservePort(np))
                    errors.Add(FieldError.Invalid("spec.ports[].nodePort", np.ToString(System.Globalization.CultureInfo.InvariantCulture), "provided port is already allocated"));
            }
            else if (taken.AllocatePort() is { } allocated)
                p["nodePort"] = allocated;
        }
        if (type == "LoadBalancer" && Meta.Str(spec, "externalTrafficPolicy") == "Local" && spec["healthCheckNodePort"] is null && taken.AllocatePort() is { } hc)
            spec["healthCheckNodePort"] = hc;
        if (errors.Count > 0)
        {
            taken.Rollback();
            return errors;
        }
        if (old is null)
            svc["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        if (old is not null)
            ReleaseUnused(old, svc, alloc);
        return errors;
    }

    /// <summary>
    /// A dry run allocated for real: give back what the new object took that the old one did
    /// not hold, and take back what Apply released from the old one.
    /// </summary>
    public static void UndoDryRun(JsonObject svc, JsonObject? old, ServiceAllocator alloc)
    {
        var oldIps = IpsOf(old?["spec"] as JsonObject).ToHashSet(StringComparer.Ordinal);
        var oldPorts = PortsOf(old?["spec"] as JsonObject).ToHashSet();
        foreach (var ip in IpsOf(svc["spec"] as JsonObject).Where(ip => !oldIps.Contains(ip)))
            alloc.ReleaseIp(ip);
        foreach (var port in PortsOf(svc["spec"] as JsonObject).Where(p => !oldPorts.Contains(p)))
            alloc.ReleasePort(port);
        foreach (var ip in oldIps)
            alloc.TryReserveIp(ip);
        foreach (var port in oldPorts)
            alloc.TryReservePort(port);
    }

    public static void Release(JsonObject svc, ServiceAllocator alloc)
    {
        foreach (var ip in IpsOf(svc["spec"] as JsonObject))
            alloc.ReleaseIp(ip);
        foreach (var port in PortsOf(svc["spec"] as JsonObject))
            alloc.ReleasePort(port);
    }

    private static void ReleaseUnused(JsonObject old, JsonObject svc, ServiceAllocator alloc)
    {
        var keepIps = IpsOf(svc["spec"] as JsonObject).ToHashSet(StringComparer.Ordinal);
        foreach (var ip in IpsOf(old["spec"] as JsonObject).Where(ip => !keepIps.Contains(ip)))
            alloc.ReleaseIp(ip);
        var keepPorts = PortsOf(svc["spec"] as JsonObject).ToHashSet();
        foreach (var port in PortsOf(old["spec"] as JsonObject).Where(p => !keepPorts.Contains(p)))
            alloc.ReleasePort(port);
    }

    private static void AssignClusterIps(JsonObject spec, List<FieldError> errors, AllocationUndo taken, HashSet<string> own)
    {
        var policy = Default(spec, "ipFamilyPolicy", "SingleStack");
        if (!Policies.Contains(policy))
        {
            errors.Add(FieldError.NotSupported("spec.ipFamilyPolicy", $"\"{policy}\"", Policies.Select(t => $"\"{t}\"")));
            return;
        }
        var given = (spec["clusterIPs"] as JsonArray)?.Select(n => n?.GetValue<string>() ?? "").ToList()
            ?? (Meta.Str(spec, "clusterIP") is { Length: > 0 } one ? [one] : []);
        if (given.FirstOrDefault() == "None")
        {
            spec["clusterIP"] = "None";
            spec["clusterIPs"] = new JsonArray("None");
            spec["ipFamilies"] ??= new JsonArray(policy == "SingleStack" ? ["IPv4"] : (JsonNode[])["IPv4", "IPv6"]);
            return;
        }
        var families = (spec["ipFamilies"] as JsonArray)?.Select(n => n?.GetValue<string>() ?? "").ToList() ?? [];
        if (families.Count == 0)
        {
            families = given.Count > 0 ? given.Select(Family).ToList() : ["IPv4"];
            if (policy != "SingleStack" && families.Count == 1)
                families.Add(families[0] == "IPv4" ? "IPv6" : "IPv4");
        }
        var ips = new List<string>();
        for (int i = 0; i < families.Count; i++)
        {
            bool v6 = families[i] == "IPv6";
            if (i < given.Count)
            {
                if (own.Contains(given[i]))
                {
                    ips.Add(given[i]);
                    continue;
                }
                if (!taken.Allocator.InRange(given[i], v6))
                    errors.Add(FieldError.Invalid($"spec.clusterIPs[{i}]", $"\"{given[i]}\"", "failed to allocate IP: the provided IP is not in the valid range"));
                else if (!taken.ReserveIp(given[i]))
                    errors.Add(FieldError.Invalid($"spec.clusterIPs[{i}]", $"\"{given[i]}\"", "failed to allocate IP: provided IP is already allocated"));
                ips.Add(given[i]);
            }
            else if (taken.AllocateIp(v6) is { } ip)
                ips.Add(ip);
        }
        spec["ipFamilies"] = new JsonArray(families.Select(f => (JsonNode)f).ToArray());
        spec["clusterIPs"] = new JsonArray(ips.Select(ip => (JsonNode)ip).ToArray());
        spec["clusterIP"] = ips[0];
    }

    /// <summary>What the real server's PrepareForUpdate patches back when an update omits it.</summary>
    private static void CarryOver(JsonObject spec, JsonObject oldSpec)
    {
        foreach (var field in (string[])["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "healthCheckNodePort"])
        {
            if (spec[field] is null && oldSpec[field] is { } value && Meta.Str(spec, "type") != "ExternalName")
                spec[field] = value.DeepClone();
        }
        if (spec["ports"] is not JsonArray ports || oldSpec["ports"] is not JsonArray oldPorts)
            return;
        foreach (var p in ports.OfType<JsonObject>().Where(p => p["nodePort"] is null))
        {
            var match = oldPorts.OfType<JsonObject>().FirstOrDefault(o =>
                JsonNode.DeepEquals(o["port"], p["port"]) && Meta.Str(o, "protocol") == Meta.Str(p, "protocol"));
            if (match?["nodePort"] is { } np)
                p["nodePort"] = np.DeepClone();
        }
    }

    private static IEnumerable<string> IpsOf(JsonObject? spec) =>
        (spec?["clusterIPs"] as JsonArray)?.Select(n => n?.GetValue<string>() ?? "").Where(ip => ip is not ("" or "None")) ?? [];

    private static IEnumerable<int> PortsOf(JsonObject? spec)
    {
        var ports = (spec?["ports"] as JsonArray)?.OfType<JsonObject>().Select(p => p["nodePort"]).OfType<JsonValue>().Select(v => v.GetValue<int>()) ?? [];
        return spec?["healthCheckNodePort"] is JsonValue hc ? ports.Append(hc.GetValue<int>()) : ports;
    }

    private static string Family(string ip) =>
        IPAddress.TryParse(ip, out var a) && a.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    private static T Default<T>(JsonObject o, string key, T value)
    {
        if (o[key] is JsonValue v && v.TryGetValue<T>(out var existing))
            return existing;
        o[key] = JsonValue.Create(value);
        return value;
    }
}
