using System.Text.Encodings.Web;
using System.Text.Json;
using MetalLb.Net.Core.Planning;

namespace MetalLb.Net.Cli;

/// <summary>The JSON form of a plan, field for field as docs/plan.md ("JSON") shows it.</summary>
internal static class PlanJson
{
    public static void Write(PlanResult plan, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteBoolean("valid", plan.Valid);
            w.WriteStartArray("errors");
            foreach (var e in plan.Errors)
            {
                w.WriteStartObject();
                w.WriteString("kind", e.Kind);
                w.WriteString("name", e.Name);
                w.WriteString("message", e.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("services");
            foreach (var s in plan.Services) WriteService(w, s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteService(Utf8JsonWriter w, ServicePlan s)
    {
        w.WriteStartObject();
        w.WriteString("namespace", s.Namespace);
        w.WriteString("name", s.Name);
        w.WriteStartArray("ips");
        foreach (var ip in s.IPs) w.WriteStringValue(ip);
        w.WriteEndArray();
        w.WriteString("pool", s.Pool);
        w.WriteString("error", s.Error);
        w.WriteStartArray("l2");
        foreach (var l in s.L2)
        {
            w.WriteStartObject();
            w.WriteString("ip", l.Ip);
            w.WriteString("node", l.Node);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("bgp");
        foreach (var b in s.Bgp)
        {
            w.WriteStartObject();
            w.WriteString("node", b.Node);
            w.WriteString("peer", b.Peer);
            w.WriteString("prefix", b.Prefix);
            w.WriteNumber("localPref", b.LocalPref);
            w.WriteStartArray("communities");
            foreach (var c in b.Communities) w.WriteStringValue(c);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
