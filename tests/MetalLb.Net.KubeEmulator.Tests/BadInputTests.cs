using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// Seeded random and mutated requests: every answer must be a well-formed response below 500
/// (a Status for errors), never an internal error, whatever the body, patch or query holds.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private static readonly string[] Bodies =
    [
        """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","labels":{"a":"b"},"finalizers":["x/y"]},"data":{"k":"v"}}""",
        """{"apiVersion":"v1","kind":"Service","metadata":{"name":"svc"},"spec":{"type":"LoadBalancer","ports":[{"port":80,"nodePort":30080}],"clusterIP":"10.96.0.50","ipFamilyPolicy":"PreferDualStack"}}""",
        """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":3,"colour":"red","tags":["a"],"id":"x"}}""",
        """{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"things.example.org"},"spec":{"group":"example.org","scope":"Cluster","names":{"plural":"things","kind":"Thing"},"versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-validations":[{"rule":"self.a == 1"}]}}}]}}""",
    ];

    private static readonly string[] Patches =
    [
        """[{"op":"add","path":"/metadata/labels/x","value":"1"},{"op":"move","from":"/data/k","path":"/data/m"}]""",
        """{"spec":{"ports":[{"port":80,"$patch":"delete"}],"$setElementOrder/ports":[{"port":80}],"$retainKeys":["ports"]},"metadata":{"$deleteFromPrimitiveList/finalizers":["x/y"]}}""",
        """{"metadata":{"labels":null,"resourceVersion":"1"},"spec":{"size":null}}""",
    ];

    private static readonly string[] Paths =
    [
        "api/v1/namespaces/default/configmaps", "api/v1/namespaces/default/services", TestCrd.Path,
        "apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    ];

    private static readonly string[] PatchTypes =
        ["application/json-patch+json", "application/strategic-merge-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];

    private readonly System.Collections.Concurrent.ConcurrentBag<string> _internalErrors = [];
    private EmulatorServer _server = null!;
    private RawApi _api = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            RequestLog = line =>
            {
                if (line.StartsWith("internal error", StringComparison.Ordinal))
                    _internalErrors.Add(line);
            },
        });
        _api = new RawApi(_server.CreateHttpClient());
        await _api.OkAsync(_api.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", TestCrd.Definition()));
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Mutated_bodies_patches_and_queries_never_cause_an_internal_error()
    {
        var random = new Random(20261124);
        var failures = new List<string>();
        for (int i = 0; i < 1500; i++)
        {
            var path = Paths[random.Next(Paths.Length)];
            HttpRequestMessage request;
            switch (random.Next(4))
            {
                case 0:
                    request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(Mutate(Bodies[random.Next(Bodies.Length)], random)) };
                    break;
                case 1:
                    var body = Mutate(Bodies[random.Next(Bodies.Length)], random);
                    request = new HttpRequestMessage(HttpMethod.Put, $"{path}/{Name(body)}") { Content = Json(body) };
                    break;
                case 2:
                    var type = PatchTypes[random.Next(PatchTypes.Length)];
                    var patch = Mutate(random.Next(2) == 0 ? Patches[random.Next(Patches.Length)] : Bodies[random.Next(Bodies.Length)], random);
                    request = new HttpRequestMessage(HttpMethod.Patch, $"{path}/{(random.Next(2) == 0 ? "cm" : "svc")}?fieldManager=fuzz")
                    {
                        Content = new StringContent(patch, Encoding.UTF8, type),
                    };
                    break;
                default:
                    var query = Mutate("labelSelector=a in (b,c),!d,e!=f&fieldSelector=metadata.name=cm&limit=2&continue=MTB8ZGVmYXVsdC9jbQ==&resourceVersion=1", random);
                    request = new HttpRequestMessage(HttpMethod.Get, $"{path}?{query}");
                    break;
            }
            using (request)
            {
                using var response = await _api.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{request.Method} {request.RequestUri} -> {(int)response.StatusCode}: {text}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(5).Concat(_internalErrors.Take(3))));
    }

    /// <summary>Inputs that once caused an internal error, kept as named cases.</summary>
    public static TheoryData<string, string, string, string, string, int> Crashers => new()
    {
        {
            "crd version without a name", "POST", "apis/apiextensions.k8s.io/v1/customresourcedefinitions", "application/json",
            """{"metadata":{"name":"gadgets.example.org"},"spec":{"group":"example.org","scope":"Cluster","names":{"plural":"gadgets","kind":"Gadget"},"versions":[{"served":true,"storage":true}]}}""",
            422
        },
        {
            "a flag where a list of names belongs", "PATCH", "api/v1/namespaces/default/services/svc", "application/strategic-merge-patch+json",
            """{"spec":{"$retainKeys":[true]}}""", 400
        },
        {
            "a string where storage is a bool", "POST", "apis/apiextensions.k8s.io/v1/customresourcedefinitions", "application/json",
            """{"metadata":{"name":"gizmos.example.org"},"spec":{"group":"example.org","scope":"Cluster","names":{"plural":"gizmos","kind":"Gizmo"},"versions":[{"name":"v1","served":true,"storage":"yes"}]}}""",
            400
        },
    };

    [Theory]
    [MemberData(nameof(Crashers))]
    public async Task Former_crashers_are_client_errors(string name, string method, string path, string contentType, string body, int code)
    {
        await _api.OkAsync(_api.PostAsync("api/v1/namespaces/default/services", JsonNode.Parse("""{"metadata":{"name":"svc"},"spec":{"ports":[{"port":80}]}}""")!));
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        using var response = await _api.Http.SendAsync(request);
        Assert.True((int)response.StatusCode == code, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static string Name(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["metadata"]?["name"]?.GetValue<string>() ?? "x";
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return "x";
        }
    }

    /// <summary>Swaps JSON values for other types, or deletes, duplicates and replaces characters.</summary>
    private static string Mutate(string text, Random random)
    {
        var chars = new StringBuilder(text);
        int edits = random.Next(1, 4);
        string[] swaps = ["1", "\"s\"", "true", "null", "[]", "{}", "-5", "1e99", "\"\\u0000\""];
        for (int e = 0; e < edits && chars.Length > 0; e++)
        {
            int at = random.Next(chars.Length);
            switch (random.Next(4))
            {
                case 0: chars.Remove(at, 1); break;
                case 1: chars.Insert(at, chars[random.Next(chars.Length)]); break;
                case 2: chars[at] = "{}[]\":,0a-$/"[random.Next(12)]; break;
                default:
                    // Replace a JSON value after a colon with a value of another type.
                    int colon = text.IndexOf(':', random.Next(text.Length));
                    if (colon > 0 && colon + 1 < chars.Length)
                    {
                        int end = colon + 1;
                        while (end < chars.Length && chars[end] is not (',' or '}' or ']'))
                            end++;
                        if (end <= chars.Length)
                        {
                            chars.Remove(colon + 1, end - colon - 1);
                            chars.Insert(colon + 1, swaps[random.Next(swaps.Length)]);
                        }
                    }
                    break;
            }
        }
        return chars.ToString();
    }
}
