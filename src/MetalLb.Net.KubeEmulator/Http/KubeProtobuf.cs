using System.Text;
using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Http;

/// <summary>
/// The protobuf request bodies typed Kubernetes clients send for built-in kinds, decoded to the
/// JSON the rest of the emulator works on. Only the kinds a client we test sends this way:
/// Secret and ConfigMap (helm's release storage, `kubectl create secret`), Service (`kubectl
/// create service loadbalancer`, the first thing a MetalLB user types) and Namespace (`kubectl
/// create namespace`). Other kinds still get 415. Fields outside the subset below are skipped,
/// as unknown fields are by a decoder. Go's encoder writes every non-pointer field, empty or
/// not; the JSON encoder leaves those out (omitempty), so an empty string, a zero or false of
/// such a field is left out here too, and a pointer field (a Service's ipFamilyPolicy,
/// loadBalancerClass, ...) is kept whatever its value, as its presence is what it says.
/// </summary>
internal static class KubeProtobuf
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";

    // k8s.io/apimachinery runtime.Unknown, prefixed by the 4-byte magic "k8s\0":
    //   1 typeMeta {1 apiVersion, 2 kind}  2 raw (the object)  3 contentEncoding  4 contentType
    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    public static bool Supports(ResourceType type) => type.Key is "secrets" or "configmaps" or "services" or "namespaces";

    /// <summary>The object as JSON; a malformed body throws the 400 the real server answers.</summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body, ResourceType type)
    {
        if (!body.StartsWith(Magic))
            throw ApiException.BadRequest("the body of the request could not be decoded: protobuf body does not start with the k8s magic prefix");
        var obj = new JsonObject();
        ReadOnlySpan<byte> raw = default;
        var reader = new Reader(body[Magic.Length..]);
        while (reader.Next(out int field, out int wire))
        {
            if (field == 1 && wire == 2)
            {
                var meta = new Reader(reader.Bytes());
                while (meta.Next(out int f, out int w))
                {
                    if (f == 1 && w == 2) obj["apiVersion"] = meta.String();
                    else if (f == 2 && w == 2) obj["kind"] = meta.String();
                    else meta.Skip(w);
                }
            }
            else if (field == 2 && wire == 2)
            {
                raw = reader.Bytes();
            }
            else
            {
                reader.Skip(wire);
            }
        }
        var r = new Reader(raw);
        while (r.Next(out int field, out int wire))
        {
            switch (type.Key, field, wire)
            {
                case (_, 1, 2): obj["metadata"] = ObjectMeta(r.Bytes()); break;
                case ("secrets", 2, 2): MapEntry(obj, "data", r.Bytes(), bytesValue: true); break;
                case ("secrets", 3, 2): obj["type"] = r.String(); break;
                case ("secrets", 4, 2): MapEntry(obj, "stringData", r.Bytes(), bytesValue: false); break;
                case ("secrets", 5, 0): obj["immutable"] = r.Varint() != 0; break;
                case ("configmaps", 2, 2): MapEntry(obj, "data", r.Bytes(), bytesValue: false); break;
                case ("configmaps", 3, 2): MapEntry(obj, "binaryData", r.Bytes(), bytesValue: true); break;
                case ("configmaps", 4, 0): obj["immutable"] = r.Varint() != 0; break;
                case ("services", 2, 2): obj["spec"] = ServiceSpec(r.Bytes()); break;
                case ("namespaces", 2, 2): obj["spec"] = NamespaceSpec(r.Bytes()); break;
                default: r.Skip(wire); break;   // status (the server ignores it on create), unknown fields
            }
        }
        return obj;
    }

    // ObjectMeta: 1 name, 2 generateName, 3 namespace, 5 uid, 6 resourceVersion, 11 labels,
    // 12 annotations, 14 finalizers. Timestamps, owner references and managed fields are
    // skipped: the server sets the first, and no client we test sends the others this way.
    private static JsonObject ObjectMeta(ReadOnlySpan<byte> bytes)
    {
        var meta = new JsonObject();
        var r = new Reader(bytes);
        while (r.Next(out int field, out int wire))
        {
            switch (field, wire)
            {
                case (1, 2): meta["name"] = r.String(); break;
                case (2, 2): meta["generateName"] = r.String(); break;
                case (3, 2): meta["namespace"] = r.String(); break;
                case (5, 2): meta["uid"] = r.String(); break;
                case (6, 2): meta["resourceVersion"] = r.String(); break;
                case (11, 2): MapEntry(meta, "labels", r.Bytes(), bytesValue: false); break;
                case (12, 2): MapEntry(meta, "annotations", r.Bytes(), bytesValue: false); break;
                case (14, 2): Append(meta, "finalizers", r.String()); break;
                default: r.Skip(wire); break;
            }
        }
        return meta;
    }

    // core/v1 ServiceSpec: 1 ports, 2 selector, 3 clusterIP, 4 type, 5 externalIPs,
    // 7 sessionAffinity, 8 loadBalancerIP, 9 loadBalancerSourceRanges, 10 externalName,
    // 11 externalTrafficPolicy, 12 healthCheckNodePort, 13 publishNotReadyAddresses,
    // 14 sessionAffinityConfig, 17 ipFamilyPolicy*, 18 clusterIPs, 19 ipFamilies,
    // 20 allocateLoadBalancerNodePorts*, 21 loadBalancerClass*, 22 internalTrafficPolicy*,
    // 23 trafficDistribution* (* a pointer in Go: kept even when empty).
    private static JsonObject ServiceSpec(ReadOnlySpan<byte> bytes)
    {
        var spec = new JsonObject();
        var r = new Reader(bytes);
        while (r.Next(out int field, out int wire))
        {
            switch (field, wire)
            {
                case (1, 2): Append(spec, "ports", ServicePort(r.Bytes())); break;
                case (2, 2): MapEntry(spec, "selector", r.Bytes(), bytesValue: false); break;
                case (3, 2): NonEmpty(spec, "clusterIP", r.String()); break;
                case (4, 2): NonEmpty(spec, "type", r.String()); break;
                case (5, 2): Append(spec, "externalIPs", r.String()); break;
                case (7, 2): NonEmpty(spec, "sessionAffinity", r.String()); break;
                case (8, 2): NonEmpty(spec, "loadBalancerIP", r.String()); break;
                case (9, 2): Append(spec, "loadBalancerSourceRanges", r.String()); break;
                case (10, 2): NonEmpty(spec, "externalName", r.String()); break;
                case (11, 2): NonEmpty(spec, "externalTrafficPolicy", r.String()); break;
                case (12, 0): NonZero(spec, "healthCheckNodePort", r.Int32()); break;
                case (13, 0): if (r.Varint() != 0) spec["publishNotReadyAddresses"] = true; break;
                case (14, 2): spec["sessionAffinityConfig"] = SessionAffinityConfig(r.Bytes()); break;
                case (17, 2): spec["ipFamilyPolicy"] = r.String(); break;
                case (18, 2): Append(spec, "clusterIPs", r.String()); break;
                case (19, 2): Append(spec, "ipFamilies", r.String()); break;
                case (20, 0): spec["allocateLoadBalancerNodePorts"] = r.Varint() != 0; break;
                case (21, 2): spec["loadBalancerClass"] = r.String(); break;
                case (22, 2): spec["internalTrafficPolicy"] = r.String(); break;
                case (23, 2): spec["trafficDistribution"] = r.String(); break;
                default: r.Skip(wire); break;
            }
        }
        return spec;
    }

    // ServicePort: 1 name, 2 protocol, 3 port, 4 targetPort (IntOrString: 1 type, 2 intVal,
    // 3 strVal; a struct in Go, so always there), 5 nodePort, 6 appProtocol*.
    private static JsonObject ServicePort(ReadOnlySpan<byte> bytes)
    {
        var port = new JsonObject();
        var r = new Reader(bytes);
        while (r.Next(out int field, out int wire))
        {
            switch (field, wire)
            {
                case (1, 2): NonEmpty(port, "name", r.String()); break;
                case (2, 2): NonEmpty(port, "protocol", r.String()); break;
                case (3, 0): NonZero(port, "port", r.Int32()); break;
                case (4, 2): port["targetPort"] = IntOrString(r.Bytes()); break;
                case (5, 0): NonZero(port, "nodePort", r.Int32()); break;
                case (6, 2): port["appProtocol"] = r.String(); break;
                default: r.Skip(wire); break;
            }
        }
        return port;
    }

    private static JsonNode IntOrString(ReadOnlySpan<byte> bytes)
    {
        long type = 0;
        int intVal = 0;
        string strVal = "";
        var r = new Reader(bytes);
        while (r.Next(out int field, out int wire))
        {
            switch (field, wire)
            {
                case (1, 0): type = (long)r.Varint(); break;
                case (2, 0): intVal = r.Int32(); break;
                case (3, 2): strVal = r.String(); break;
                default: r.Skip(wire); break;
            }
        }
        return type == 1 ? JsonValue.Create(strVal)! : JsonValue.Create(intVal);
    }

    // SessionAffinityConfig: 1 clientIP {1 timeoutSeconds*}.
    private static JsonObject SessionAffinityConfig(ReadOnlySpan<byte> bytes)
    {
        var config = new JsonObject();
        var r = new Reader(bytes);
        while (r.Next(out int field, out int wire))
        {
            if (field == 1 && wire == 2)
            {
                var clientIp = new JsonObject();
                var c = new Reader(r.Bytes());
                while (c.Next(out int f, out int w))
                {
                    if (f == 1 && w == 0) clientIp["timeoutSeconds"] = c.Int32();
                    else c.Skip(w);
                }
                config["clientIP"] = clientIp;
            }
            else
            {
                r.Skip(wire);
            }
        }
        return config;
    }

    // core/v1 NamespaceSpec: 1 finalizers.
    private static JsonObject NamespaceSpec(ReadOnlySpan<byte> bytes)
    {
        var obj = new JsonObject();
        var r = new Reader(bytes);
        while (r.Next(out int field, out int wire))
        {
            if (field == 1 && wire == 2) Append(obj, "finalizers", r.String());
            else r.Skip(wire);
        }
        return obj;
    }

    private static void Append(JsonObject into, string property, JsonNode? item)
    {
        var list = into[property] as JsonArray ?? [];
        list.Add(item);
        into[property] = list;
    }

    private static void NonEmpty(JsonObject into, string property, string value)
    {
        if (value.Length > 0)
            into[property] = value;
    }

    private static void NonZero(JsonObject into, string property, int value)
    {
        if (value != 0)
            into[property] = value;
    }

    // A map entry is a message {1 key, 2 value}; bytes values become base64, as in JSON.
    private static void MapEntry(JsonObject into, string property, ReadOnlySpan<byte> entry, bool bytesValue)
    {
        string key = "";
        JsonNode? value = bytesValue ? "" : "";
        var r = new Reader(entry);
        while (r.Next(out int field, out int wire))
        {
            if (field == 1 && wire == 2) key = r.String();
            else if (field == 2 && wire == 2) value = bytesValue ? Convert.ToBase64String(r.Bytes()) : r.String();
            else r.Skip(wire);
        }
        var map = into[property] as JsonObject ?? [];
        map[key] = value;
        into[property] = map;
    }

    /// <summary>Protocol buffers wire format: every length is checked against what is left.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public bool Next(out int field, out int wire)
        {
            field = wire = 0;
            if (_rest.IsEmpty)
                return false;
            ulong tag = Varint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            if (field == 0)
                throw Bad("field number 0");
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (_rest.IsEmpty)
                    throw Bad("truncated varint");
                byte b = _rest[0];
                _rest = _rest[1..];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                    return value;
            }
            throw Bad("varint longer than 10 bytes");
        }

        public ReadOnlySpan<byte> Bytes()
        {
            ulong length = Varint();
            if (length > (ulong)_rest.Length)
                throw Bad("length beyond the end of the body");
            var bytes = _rest[..(int)length];
            _rest = _rest[(int)length..];
            return bytes;
        }

        public string String() => Encoding.UTF8.GetString(Bytes());

        /// <summary>An int32 varint: negative values are sent sign-extended to ten bytes, so the low 32 bits are the value.</summary>
        public int Int32() => unchecked((int)Varint());

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: Advance(8); break;
                case 2: Bytes(); break;
                case 5: Advance(4); break;
                default: throw Bad($"wire type {wire}");
            }
        }

        private void Advance(int n)
        {
            if (_rest.Length < n)
                throw Bad("truncated fixed-width field");
            _rest = _rest[n..];
        }

        private static ApiException Bad(string what) => ApiException.BadRequest($"the body of the request could not be decoded: protobuf: {what}");
    }
}
