using System.Text;
using System.Text.Json;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Serialization;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Kube.Watch;

namespace MetalLb.Net.Kube.Tests.Rest;

public sealed class WireJsonTests
{
    private const string Svc = """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default","resourceVersion":"42","labels":{"app":"web"},"creationTimestamp":"2026-01-01T00:00:00Z"},
         "spec":{"type":"LoadBalancer","ports":[{"port":80,"targetPort":"http","nodePort":30080},{"port":443,"targetPort":8443}],"clusterIP":"10.96.0.10"},
         "status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.1"}]}}}
        """;

    private static readonly string List = $$"""{"kind":"ServiceList","apiVersion":"v1","metadata":{"resourceVersion":"77","continue":"abc"},"items":[{{Svc}},{{Svc.Replace("\"web\"", "\"api\"", StringComparison.Ordinal)}}]}""";

    [Fact]
    public void A_list_page_gives_items_resourceVersion_and_continue()
    {
        KubeList<Service> list = WireJson.ReadList(Encoding.UTF8.GetBytes(List), ApiJsonContext.Default.Service);
        Assert.Equal(["web", "api"], list.Items.Select(s => s.Metadata.Name));
        Assert.Equal("77", list.ResourceVersion);
        Assert.Equal("abc", list.Continue);
        Assert.Equal("http", list.Items[0].Spec.Ports![0].TargetPort!.Value.String);
    }

    public static TheoryData<string, string, WatchEventType> Lines => new()
    {
        { "type first", $$"""{"type":"ADDED","object":{{Svc}}}""", WatchEventType.Added },
        { "object first", $$"""{"object":{{Svc}},"type":"MODIFIED"}""", WatchEventType.Modified },
        { "deleted", $$"""{"type":"DELETED","object":{{Svc}}}""", WatchEventType.Deleted },
        { "bookmark", """{"type":"BOOKMARK","object":{"kind":"Service","apiVersion":"v1","metadata":{"resourceVersion":"99"}}}""", WatchEventType.Bookmark },
        { "error", """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version","reason":"Expired","code":410}}""", WatchEventType.Error },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Watch_lines_decode_in_either_field_order(string name, string line, WatchEventType type)
    {
        WatchEvent<Service> e = WireJson.ReadWatchEvent(Encoding.UTF8.GetBytes(line), ApiJsonContext.Default.Service);
        Assert.True(e.Type == type, name);
        if (type == WatchEventType.Error)
        {
            Assert.Equal(410, e.Status!.Code);
            Assert.Equal("Expired", e.Status.Reason);
        }
        else
        {
            Assert.Equal(type == WatchEventType.Bookmark ? "99" : "42", e.ResourceVersion);
        }
    }

    public static TheoryData<string, string> BadLines => new()
    {
        { "unknown type", $$"""{"type":"SURPRISE","object":{{Svc}}}""" },
        { "no object", """{"type":"ADDED"}""" },
        { "null object", """{"type":"ADDED","object":null}""" },
        { "numeric type", $$"""{"type":1,"object":{{Svc}}}""" },
        { "truncated", $$"""{"type":"ADDED","object":{{Svc[..40]}}""" },
        { "not an object", "[1,2]" },
        { "port past int32", $$"""{"type":"ADDED","object":{{Svc.Replace("8443", "99999999999", StringComparison.Ordinal)}}}""" },
        { "resourceVersion a number", """{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":5}}}""" },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public void Broken_watch_lines_are_JsonExceptions(string name, string line)
    {
        var e = Record.Exception(() => WireJson.ReadWatchEvent(Encoding.UTF8.GetBytes(line), ApiJsonContext.Default.Service));
        Assert.True(e is JsonException, $"{name}: {e?.GetType().Name ?? "no exception"}");
    }

    // Seeded mutation: whatever the bytes, the decoders answer or throw JsonException, never
    // anything else, which would escape the watch's retry loop as a crash.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Mutated_lists_and_watch_lines_only_ever_throw_JsonException(int seed)
    {
        var random = new Random(seed);
        byte[][] samples =
        [
            Encoding.UTF8.GetBytes(List),
            Encoding.UTF8.GetBytes($$"""{"type":"ADDED","object":{{Svc}}}"""),
            Encoding.UTF8.GetBytes("""{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}}"""),
        ];
        for (int i = 0; i < 3000; i++)
        {
            byte[] mutated = Mutate(samples[i % samples.Length], random);
            Exception? e = i % samples.Length == 0
                ? Record.Exception(() => WireJson.ReadList(mutated, ApiJsonContext.Default.Service))
                : Record.Exception(() => WireJson.ReadWatchEvent(mutated, ApiJsonContext.Default.Service));
            if (e is not null and not JsonException)
                Assert.Fail($"seed {seed} case {i}: {e.GetType().Name}: {e.Message}\n{Encoding.UTF8.GetString(mutated)}");
        }
    }

    private static byte[] Mutate(byte[] sample, Random random)
    {
        var bytes = sample.ToList();
        int edits = random.Next(1, 4);
        for (int k = 0; k < edits && bytes.Count > 0; k++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveRange(at, Math.Min(random.Next(1, 20), bytes.Count - at)); break;
                case 2: bytes.Insert(at, (byte)"{}[]\":,0a\\-"[random.Next(11)]); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(random.Next(1, 30), bytes.Count - at))); break;
            }
        }
        return [.. bytes];
    }
}
