using System.Net;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>CRDs: registration, schema validation (422 with field paths), defaults, pruning, status.</summary>
public sealed class CustomResourceTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private RawApi _api = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync();
        _api = new RawApi(_server.CreateHttpClient());
        await _api.OkAsync(_api.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", TestCrd.Definition()));
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    public static TheoryData<string, string, string, string> Invalid => new()
    {
        { "wrong type", """{"size": 2, "enabled": "maybe"}""", "spec.enabled", "spec.enabled: Invalid value: \"string\": spec.enabled in body must be of type boolean: \"string\"" },
        { "missing required", """{"colour": "red"}""", "spec.size", "spec.size: Required value" },
        { "enum", """{"size": 2, "colour": "green"}""", "spec.colour", "spec.colour: Unsupported value: \"green\": supported values: \"red\", \"blue\"" },
        { "minimum", """{"size": 0}""", "spec.size", "spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1" },
        { "maximum", """{"size": 11}""", "spec.size", "spec.size in body should be less than or equal to 10" },
        { "item length", """{"size": 1, "tags": ["ok", "toolong"]}""", "spec.tags[1]", "spec.tags[1] in body should be at most 5 chars long" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Invalid_objects_get_422_with_the_field_path(string name, string spec, string field, string message)
    {
        var (code, status) = await _api.PostAsync(TestCrd.Path, TestCrd.Widget("w", (JsonObject)JsonNode.Parse(spec)!));
        Assert.True(code == (HttpStatusCode)422, name);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.Contains(message, status["message"]!.GetValue<string>());
        Assert.StartsWith("Widget.example.com \"w\" is invalid: ", status["message"]!.GetValue<string>());
        Assert.Contains(status["details"]!["causes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == field);
    }

    [Fact]
    public async Task Defaults_are_applied_and_unknown_fields_pruned_or_refused_under_strict()
    {
        var created = await _api.OkAsync(_api.PostAsync(TestCrd.Path, TestCrd.Widget("w", new JsonObject
        {
            ["size"] = 3,
            ["extra"] = "dropped",
            ["free"] = new JsonObject { ["anything"] = 1 },
        })));
        Assert.Equal("red", created["spec"]!["colour"]!.GetValue<string>());
        Assert.Null(created["spec"]!["extra"]);
        Assert.Equal(1, created["spec"]!["free"]!["anything"]!.GetValue<int>());

        var (code, status) = await _api.PostAsync(TestCrd.Path + "?fieldValidation=Strict", TestCrd.Widget("s", new JsonObject { ["size"] = 3, ["extra"] = 1 }));
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Contains("unknown field \"spec.extra\"", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_immutability_rule_self_equals_old_self_is_enforced_on_update()
    {
        await _api.OkAsync(_api.PostAsync(TestCrd.Path, TestCrd.Widget("w", new JsonObject { ["size"] = 3, ["id"] = "one" })));
        var (code, status) = await _api.MergePatchAsync(TestCrd.Path + "/w", new JsonObject { ["spec"] = new JsonObject { ["id"] = "two" } });
        Assert.Equal((HttpStatusCode)422, code);
        Assert.Contains("spec.id", status["message"]!.GetValue<string>());
        Assert.Contains("id is immutable", status["message"]!.GetValue<string>());
        await _api.OkAsync(_api.MergePatchAsync(TestCrd.Path + "/w", new JsonObject { ["spec"] = new JsonObject { ["size"] = 4 } }));
    }

    [Fact]
    public async Task Status_is_written_only_through_the_status_subresource_and_spec_changes_bump_generation()
    {
        var created = await _api.OkAsync(_api.PostAsync(TestCrd.Path, TestCrd.Widget("w", new JsonObject { ["size"] = 3 })));
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<long>());

        var viaMain = await _api.OkAsync(_api.MergePatchAsync(TestCrd.Path + "/w", new JsonObject { ["status"] = new JsonObject { ["ready"] = true } }));
        Assert.Null(viaMain["status"]);
        Assert.Equal(RawApi.Rv(created), RawApi.Rv(viaMain)); // a no-op write makes no new version

        var viaStatus = await _api.OkAsync(_api.MergePatchAsync(TestCrd.Path + "/w/status", new JsonObject
        {
            ["spec"] = new JsonObject { ["size"] = 9 },
            ["status"] = new JsonObject { ["ready"] = true },
        }));
        Assert.True(viaStatus["status"]!["ready"]!.GetValue<bool>());
        Assert.Equal(3, viaStatus["spec"]!["size"]!.GetValue<int>());
        Assert.Equal(1, viaStatus["metadata"]!["generation"]!.GetValue<long>());

        var specChange = await _api.OkAsync(_api.MergePatchAsync(TestCrd.Path + "/w", new JsonObject { ["spec"] = new JsonObject { ["size"] = 5 } }));
        Assert.Equal(2, specChange["metadata"]!["generation"]!.GetValue<long>());
        Assert.True(specChange["status"]!["ready"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_crd_is_discoverable_and_deleting_it_removes_its_objects()
    {
        await _api.OkAsync(_api.PostAsync(TestCrd.Path, TestCrd.Widget("w", new JsonObject { ["size"] = 3 })));
        var resources = await _api.OkAsync(_api.GetAsync("apis/example.com/v1"));
        Assert.Contains(resources["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "widgets/status");
        var crd = await _api.OkAsync(_api.GetAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"));
        Assert.Contains(crd["status"]!["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "Established");

        await _api.OkAsync(_api.DeleteAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync(TestCrd.Path + "/w")).Code);
    }

    [Fact]
    public async Task Without_field_validation_unknown_fields_are_pruned_with_a_warning_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TestCrd.Path)
        {
            Content = new StringContent(TestCrd.Widget("warned", new JsonObject { ["size"] = 2, ["shade"] = "dark" }).ToJsonString(),
                System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // RFC 7234 warn-text is a quoted-string, so the inner quotes arrive escaped, as from the real server.
        Assert.Contains(response.Headers.GetValues("Warning"), w => w == "299 - \"unknown field \\\"spec.shade\\\"\"");
    }
}
