using System.Text.Json.Nodes;
using MetalLb.Net.Controller.Webhooks;

namespace MetalLb.Net.Controller.Tests.Webhooks;

public sealed class ConversionEndpointTests
{
    private static JsonObject Answer(JsonObject review)
    {
        var reply = ConversionEndpoint.Review(System.Text.Encoding.UTF8.GetBytes(review.ToJsonString()));
        Assert.True(reply.StatusCode == 200, reply.Text);
        return JsonNode.Parse(reply.Body)!.AsObject();
    }

    [Fact]
    public void Metadata_passes_through_untouched_and_only_spec_and_apiVersion_change()
    {
        var peer = ReviewBodies.LegacyPeer("p");
        var review = ReviewBodies.Conversion("metallb.io/v1beta2", peer);

        var answer = Answer(review);

        Assert.Equal("apiextensions.k8s.io/v1", (string?)answer["apiVersion"]);
        Assert.Equal((string?)review["request"]!["uid"], (string?)answer["response"]!["uid"]);
        Assert.Equal("Success", (string?)answer["response"]!["result"]!["status"]);
        var converted = answer["response"]!["convertedObjects"]![0]!;
        Assert.Equal("metallb.io/v1beta2", (string?)converted["apiVersion"]);
        Assert.True(JsonNode.DeepEquals(peer["metadata"], converted["metadata"]), converted["metadata"]!.ToJsonString());
        // Upstream's values: 90s re-encoded as Go writes it, an absent keepalive becomes 0s.
        Assert.Equal(("1m30s", "0s", 1179), ((string?)converted["spec"]!["holdTime"], (string?)converted["spec"]!["keepaliveTime"], (int?)converted["spec"]!["peerPort"]));
    }

    [Fact]
    public void A_v1beta1_review_is_answered_in_v1beta1_and_an_object_already_in_the_desired_version_is_kept()
    {
        var review = ReviewBodies.Conversion("metallb.io/v1beta1", ReviewBodies.LegacyPeer("p"));
        review["apiVersion"] = "apiextensions.k8s.io/v1beta1";

        var answer = Answer(review);

        Assert.Equal("apiextensions.k8s.io/v1beta1", (string?)answer["apiVersion"]);
        Assert.Equal("90s", (string?)answer["response"]!["convertedObjects"]![0]!["spec"]!["holdTime"]);
    }

    [Fact]
    public void An_unconvertible_object_fails_the_review_with_its_name_and_field()
    {
        var peer = ReviewBodies.LegacyPeer("broken");
        peer["spec"]!["holdTime"] = "ninety";

        var response = Answer(ReviewBodies.Conversion("metallb.io/v1beta2", peer))["response"]!;

        Assert.Equal("Failure", (string?)response["result"]!["status"]);
        Assert.Contains("BGPPeer \"broken\": spec.holdTime", (string?)response["result"]!["message"], StringComparison.Ordinal);
        Assert.Empty(response["convertedObjects"]!.AsArray());
    }

    [Theory]
    [InlineData("not json", "malformed ConversionReview")]
    [InlineData("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}", "expected apiVersion apiextensions.k8s.io/v1 kind ConversionReview")]
    [InlineData("{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\"}", "ConversionReview has no request")]
    public void A_body_that_is_not_a_review_gets_400_with_the_reason(string body, string reason)
    {
        var reply = ConversionEndpoint.Review(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Equal(400, reply.StatusCode);
        Assert.Contains(reason, reply.Text, StringComparison.Ordinal);
    }
}
