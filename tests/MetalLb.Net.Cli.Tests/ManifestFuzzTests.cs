using System.Globalization;
using System.Text;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Manifests;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Cli.Tests;

/// <summary>
/// Seeded mutations of every sample and golden input through the YAML manifest reader, then
/// whatever it read through Core's config parser, and Core's string parsers on mutated
/// strings: every input ends in a result or in problems that carry a line, never an exception.
/// The test command runs MANIFEST_FUZZ_ITERATIONS (default 3,000) inputs; docs/fuzzing.md records
/// the long run (1,000,000) and what it found.
/// </summary>
public sealed class ManifestFuzzTests
{
    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("MANIFEST_FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 3_000;

    // Fragments a YAML author might get wrong: indicators, anchors, tags, numbers at the edges.
    private static readonly string[] Tokens =
    [
        ":", "- ", "{", "}", "[", "]", "'", "\"", "#", "&a ", "*a", "!!str ", "!!binary ", "|", ">", "---\n", "...\n", "\t", "  ", "\n",
        "~", "null", "true", "0x1F", "1e400", "-1", "4294967296", "99999999999999999999", "192.0.2.0/24", "2001:db8::/129",
        "192.0.2.10-192.0.2.1", "65535:65536", "large:1:2:3", "10s", "-5m", "999999h", "kind: List\nitems:\n", "<<: *a\n", "\u00e9", "\0",
    ];

    private static List<string> Seeds()
    {
        var files = Directory.GetFiles(RepoPaths.Samples, "*.yaml")
            .Concat(Directory.GetDirectories(Path.Combine(RepoPaths.Root, "tests", "MetalLb.Net.Cli.Tests", "Cases")).Select(d => Path.Combine(d, "input.yaml")))
            .Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count > 40, $"only {files.Count} seed files");
        return files.Select(File.ReadAllText).ToList();
    }

    [Fact]
    public void Mutated_manifests_end_in_a_result_or_located_problems_never_an_exception()
    {
        var seeds = Seeds();
        var random = new Random(20261205);
        int read = 0, rejected = 0, parsed = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(seeds[random.Next(seeds.Count)], random);
            var (objects, errors) = ReadAndParse(input);
            if (errors > 0) rejected++;
            if (objects > 0) read++;
            if (objects > 0 && errors == 0) parsed++;
        }
        // The mutations must reach both outcomes, or this test proves nothing.
        Assert.True(rejected > Iterations / 10, $"only {rejected} of {Iterations} inputs were rejected");
        Assert.True(parsed > Iterations / 10, $"only {parsed} of {Iterations} inputs were read cleanly");
    }

    /// <summary>Inputs the fuzzer once broke something with, kept as named cases.</summary>
    public static TheoryData<string, string> Kept => new()
    {
        // NullReferenceException in PoolParser: "spec:" with nothing under it deserialized to a null Spec.
        { "IPAddressPool with spec: null", "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: p\n  namespace: metallb-system\nspec:\n" },
        // InvalidOperationException out of YamlDotNet's scanner instead of a YamlException.
        { "a '[' inside a flow mapping key", "apiVersion: v1\nkind: Node\nmetadata:\n  name: n\n  labels: {kubernetes.io/service[-name: web}\n" },
        // NullReferenceException in SelectorRules: "- " with nothing after it is a null selector.
        { "an empty list item", "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: l2, namespace: metallb-system}\nspec:\n  nodeSelectors:\n    - \n" },
        { "BGPPeer with spec: null", "apiVersion: metallb.io/v1beta2\nkind: BGPPeer\nmetadata: {name: r, namespace: metallb-system}\nspec: null\n" },
    };

    [Theory]
    [MemberData(nameof(Kept))]
    public void Kept_inputs_end_in_located_problems(string name, string yaml)
    {
        var (_, errors) = ReadAndParse(yaml);
        Assert.True(errors > 0, $"{name}: no problem reported");
    }

    [Fact]
    public void Core_string_parsers_return_an_answer_for_any_string()
    {
        // Kept: decimal overflow inside DurationParser (it threw OverflowException).
        Assert.False(DurationParser.TryParse("30099999999999999999999m", out _));
        var random = new Random(7606);
        var seeds = new[] { "192.0.2.0/24", "192.0.2.1-192.0.2.9", "2001:db8::/64", "65000:100", "large:65000:1:2", "no-advertise", "1m30s", "300ms", "" };
        for (var i = 0; i < Iterations * 10; i++)
        {
            var s = Mutate(seeds[random.Next(seeds.Length)], random);
            Guard(s, () =>
            {
                if (!AddressBlock.TryParse(s, out _, out var blockError))
                    Assert.False(string.IsNullOrEmpty(blockError));
                if (CommunityParser.TryParse(s, out _, out var communityError) != CommunityParseError.None)
                    Assert.False(string.IsNullOrEmpty(communityError));
                if (DurationParser.TryParse(s, out var d))
                    Assert.NotEqual(TimeSpan.MinValue, d); // Go's ParseDuration takes "-5m" too
                if (IpAddress.TryParse(s, out var ip))
                    Assert.Equal(ip, IpAddress.Parse(ip.ToString()));
            });
        }
    }

    /// <summary>The manifest reader, then Core's parser on what it read: (objects read, problems found).</summary>
    internal static (int Objects, int Errors) ReadAndParse(string input)
    {
        var objects = 0;
        var errors = 0;
        Guard(input, () =>
        {
            var result = ManifestReader.Read(input, "fuzz.yaml");
            foreach (var e in result.Errors)
            {
                Assert.Equal("fuzz.yaml", e.File);
                Assert.True(e.Line > 0, $"a problem without a line: {e}");
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
            errors = result.Errors.Count;
            var all = result.Objects.Select(o => o.Object).ToList();
            objects = all.Count;
            var config = ConfigParser.Parse(new ConfigInput
            {
                Pools = all.OfType<IPAddressPool>().ToList(),
                Communities = all.OfType<Community>().ToList(),
                L2Advertisements = all.OfType<L2Advertisement>().ToList(),
                BgpAdvertisements = all.OfType<BGPAdvertisement>().ToList(),
                Peers = all.OfType<BGPPeer>().Concat(all.OfType<BGPPeerV1Beta1>().Select(p => p.ToV1Beta2())).ToList(),
                BfdProfiles = all.OfType<BFDProfile>().ToList(),
                Secrets = all.OfType<Secret>().ToList(),
                Nodes = all.OfType<Node>().ToList(),
                Namespaces = all.OfType<Namespace>().ToList(),
            });
            Assert.All(config.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
            errors += config.Errors.Count;
        });
        return (objects, errors);
    }

    private static void Guard(string input, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{e.GetType().Name}: {e.Message}\ninput (C# literal): \"{Escape(input)}\"\n{e.StackTrace}");
        }
    }

    internal static string Mutate(string seed, Random random)
    {
        var s = new StringBuilder(seed);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits; e++)
        {
            var at = s.Length == 0 ? 0 : random.Next(s.Length);
            switch (random.Next(7))
            {
                case 0 when s.Length > 0: s.Remove(at, Math.Min(random.Next(1, 8), s.Length - at)); break;
                case 1: s.Insert(at, Tokens[random.Next(Tokens.Length)]); break;
                case 2 when s.Length > 0: s[at] = (char)random.Next(32, 127); break;
                case 3: // duplicate a line: repeated keys and list items
                    var lines = s.ToString().Split('\n').ToList();
                    var l = random.Next(lines.Count);
                    lines.Insert(l, lines[l]);
                    s.Clear().Append(string.Join('\n', lines));
                    break;
                case 4: // re-indent a line: structure changes while the text stays plausible
                    var ls = s.ToString().Split('\n');
                    var k = random.Next(ls.Length);
                    ls[k] = random.Next(2) == 0 ? "  " + ls[k] : ls[k].TrimStart();
                    s.Clear().Append(string.Join('\n', ls));
                    break;
                case 5 when s.Length > 0: s.Length = at; break;
                default: // a digit nudged: ranges, ASNs and lengths at their edges
                    var digit = s.ToString().IndexOfAny("0123456789".ToCharArray(), at);
                    if (digit >= 0)
                        s[digit] = (char)('0' + random.Next(10));
                    break;
            }
        }
        return s.ToString();
    }

    private static string Escape(string s) =>
        string.Concat(s.Select(c => c switch { '\n' => "\\n", '"' => "\\\"", '\\' => "\\\\", < ' ' or > '~' => $"\\u{(int)c:x4}", _ => c.ToString() }));
}
