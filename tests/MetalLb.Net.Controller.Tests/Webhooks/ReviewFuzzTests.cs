using System.Globalization;
using System.Text;
using System.Text.Json;
using MetalLb.Net.Controller.Webhooks;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Controller.Tests.Webhooks;

/// <summary>
/// Seeded mutations of AdmissionReview and ConversionReview bodies through the endpoints the
/// webhook server calls: every body ends in HTTP 400 with a reason or in a review answer
/// carrying the request's uid, never an exception. WEBHOOK_FUZZ_ITERATIONS (default 4,000)
/// bodies per endpoint; docs/fuzzing.md.
/// </summary>
public sealed class ReviewFuzzTests
{
    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("WEBHOOK_FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 4_000;

    // JSON an API server, a proxy or a bug might send: wrong types, nulls, edges of numbers.
    private static readonly string[] Tokens =
    [
        "null", "true", "[]", "{}", "\"\"", "0", "-1", "4294967296", "1e400", "\"90\"", "\"-5m\"", "\"999999999999h\"", "[null]", "{\"a\":null}",
        "\"192.0.2.0/24\"", "\"192.0.2.10-192.0.2.1\"", "\"DELETE\"", "\"CONNECT\"", "\"metallb.io/v1beta3\"", "\"apiextensions.k8s.io/v1beta1\"",
        ",", ":", "\"", "{", "}", "[", "]", "\\u0000", "\u00e9",
    ];

    private static readonly ConfigInput Stored = new()
    {
        Pools = [new Api.MetalLb.IPAddressPool { Metadata = new Api.Meta.ObjectMeta { Name = "stored", Namespace = ReviewBodies.Ns }, Spec = new() { Addresses = ["192.0.2.0/24"] } }],
    };

    public static IEnumerable<object[]> Endpoints() => [["admission"], ["conversion"]];

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Mutated_reviews_get_a_400_with_a_reason_or_an_answer_never_an_exception(string endpoint)
    {
        var seeds = Seeds(endpoint);
        var admission = new AdmissionEndpoint(_ => Task.FromResult(Stored), ReviewBodies.Ns);
        var random = new Random(endpoint == "admission" ? 20261205 : 7606);
        int rejected = 0, answered = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var (path, seed) = seeds[random.Next(seeds.Count)];
            byte[] body = Mutate(seed, random);
            WebhookReply reply;
            try
            {
                reply = path == "/convert" ? ConversionEndpoint.Review(body) : await admission.ReviewAsync(path, body);
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} on {path} with body {Literal(body)}:\n{e}");
                return;
            }
            if (reply.StatusCode == 400)
            {
                Assert.True(reply.Text.Trim().Length > 10, $"a 400 without a reason for {Literal(body)}");
                rejected++;
                continue;
            }
            Assert.True(reply.StatusCode == 200, $"HTTP {reply.StatusCode} for {Literal(body)}: {reply.Text}");
            using var answer = JsonDocument.Parse(reply.Body);
            Assert.False(string.IsNullOrEmpty(answer.RootElement.GetProperty("response").GetProperty("uid").GetString()), reply.Text);
            answered++;
        }
        // Both outcomes, or the mutations prove nothing.
        Assert.True(rejected > Iterations / 10, $"only {rejected} of {Iterations} bodies were rejected");
        Assert.True(answered > Iterations / 10, $"only {answered} of {Iterations} bodies were answered");
    }

    /// <summary>Bodies that once broke an endpoint, kept as named cases.</summary>
    public static TheoryData<string, string, string> Kept => new()
    {
        { "spec null in a pool", "/validate-metallb-io-v1beta1-ipaddresspool",
            """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"CREATE","object":{"apiVersion":"metallb.io/v1beta1","kind":"IPAddressPool","metadata":{"name":"p","namespace":"metallb-system"},"spec":null}}}""" },
        { "a null node selector in a v1beta1 peer", "/convert",
            """{"apiVersion":"apiextensions.k8s.io/v1","kind":"ConversionReview","request":{"uid":"u","desiredAPIVersion":"metallb.io/v1beta2","objects":[{"apiVersion":"metallb.io/v1beta1","kind":"BGPPeer","metadata":{"name":"p"},"spec":{"myASN":1,"nodeSelectors":[null,{"matchExpressions":[null]}]}}]}}""" },
        { "a review that is a JSON string", "/convert", "\"ConversionReview\"" },
    };

    [Theory]
    [MemberData(nameof(Kept))]
    public async Task Kept_bodies_end_in_an_answer_or_a_400(string name, string path, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var reply = path == "/convert" ? ConversionEndpoint.Review(bytes) : await new AdmissionEndpoint(_ => Task.FromResult(Stored), ReviewBodies.Ns).ReviewAsync(path, bytes);
        Assert.True(reply.StatusCode is 200 or 400, $"{name}: HTTP {reply.StatusCode} {reply.Text}");
    }

    private static List<(string Path, string Body)> Seeds(string endpoint) => endpoint == "conversion"
        ?
        [
            ("/convert", ReviewBodies.Conversion("metallb.io/v1beta2", ReviewBodies.LegacyPeer("a"), ReviewBodies.LegacyPeer("b")).ToJsonString()),
            ("/convert", ReviewBodies.Conversion("metallb.io/v1beta1", Upgraded()).ToJsonString()),
        ]
        :
        [
            ("/validate-metallb-io-v1beta1-ipaddresspool", ReviewBodies.Admission("CREATE", ReviewBodies.Pool("p", "192.0.2.0/25", "198.51.100.0/24")).ToJsonString()),
            ("/validate-metallb-io-v1beta1-bfdprofile", ReviewBodies.Admission("DELETE", ReviewBodies.Bfd("b")).ToJsonString()),
            ("/validate-metallb-io-v1beta1-bgppeer", ReviewBodies.Admission("UPDATE", ReviewBodies.LegacyPeer("r")).ToJsonString()),
        ];

    private static System.Text.Json.Nodes.JsonObject Upgraded()
    {
        var peer = ReviewBodies.LegacyPeer("c");
        peer["apiVersion"] = "metallb.io/v1beta2";
        peer["spec"]!["vrf"] = "red";
        return peer;
    }

    private static byte[] Mutate(string seed, Random random)
    {
        var text = new StringBuilder(seed);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && text.Length > 0; e++)
        {
            int at = random.Next(text.Length);
            switch (random.Next(6))
            {
                case 0: text.Remove(at, Math.Min(1 + random.Next(8), text.Length - at)); break;
                case 1: text.Insert(at, Tokens[random.Next(Tokens.Length)]); break;
                case 2: ReplaceValue(text, random); break;
                case 3: text.Length = at; break;
                case 4: text[at] = (char)random.Next(32, 127); break;
                default: ReplaceValue(text, random); break;
            }
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    // Swap the value after a random key for a token: keeps the JSON well formed more often than
    // character edits, so the mutations also reach the object readers, not only the JSON parser.
    private static void ReplaceValue(StringBuilder text, Random random)
    {
        string s = text.ToString();
        var colons = Enumerable.Range(0, s.Length).Where(i => s[i] == ':' && i > 0 && s[i - 1] == '"').ToList();
        if (colons.Count == 0) return;
        int start = colons[random.Next(colons.Count)] + 1;
        int end = start;
        int depth = 0;
        bool inString = false;
        for (; end < s.Length; end++)
        {
            char c = s[end];
            if (inString) { if (c == '\\') end++; else if (c == '"') inString = false; continue; }
            if (c == '"') inString = true;
            else if (c is '{' or '[') depth++;
            else if (c is '}' or ']') { if (depth == 0) break; depth--; }
            else if (c == ',' && depth == 0) break;
        }
        text.Remove(start, end - start).Insert(start, Tokens[random.Next(Tokens.Length)]);
    }

    private static string Literal(byte[] body) => JsonSerializer.Serialize(Encoding.UTF8.GetString(body));
}
