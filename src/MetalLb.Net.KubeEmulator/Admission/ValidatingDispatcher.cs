using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Http;

namespace MetalLb.Net.KubeEmulator.Admission;

/// <summary>
/// The ValidatingAdmissionWebhook plugin: for a write, every webhook of every stored
/// ValidatingWebhookConfiguration whose selectors and rules match is called in parallel with an
/// AdmissionReview; the first refusal (or, under failurePolicy Fail, the first failed call) is
/// the request's answer, worded as the real server words it. Webhook configurations themselves
/// are exempt, so a broken webhook can always be removed.
/// </summary>
internal sealed class ValidatingDispatcher(IWebhookHost host, WebhookTransport transport)
{
    private sealed record Invocation(ValidatingWebhook Hook, string Version);

    /// <summary>
    /// Whether any webhook's rules could match this request (selectors not yet looked at): when
    /// none can, the write takes the plain path with no admission round.
    /// </summary>
    public bool MayApply(Store.ResourceType type, string version, string? subresource, string? ns, params string[] operations)
    {
        if (IsExempt(type))
            return false;
        foreach (var configuration in host.ValidatingConfigurations())
        {
            foreach (var hook in ValidatingWebhook.FromConfiguration(configuration))
            {
                foreach (var op in operations)
                {
                    if (Match(hook, type, version, subresource, op, ns) is not null)
                        return true;
                }
            }
        }
        return false;
    }

    /// <summary>Calls the matching webhooks; returns their warnings, throws the request's refusal.</summary>
    public async Task<IReadOnlyList<string>> ValidateAsync(AdmissionAttributes a, CancellationToken cancellationToken)
    {
        if (IsExempt(a.Type))
            return [];
        var invocations = new List<Invocation>();
        foreach (var configuration in host.ValidatingConfigurations())
        {
            foreach (var hook in ValidatingWebhook.FromConfiguration(configuration))
            {
                if (ShouldCall(hook, a) is { } invocation)
                    invocations.Add(invocation);
            }
        }
        if (invocations.Count == 0)
            return [];
        // One converted copy per version a webhook asked for (matchPolicy Equivalent).
        var versioned = new Dictionary<string, (JsonObject? Object, JsonObject? Old)>(StringComparer.Ordinal);
        foreach (var version in invocations.Select(i => i.Version).Distinct(StringComparer.Ordinal))
        {
            try
            {
                versioned[version] = (a.Object is null ? null : await host.ConvertAsync(a.Type, a.Object, version, cancellationToken),
                                      a.OldObject is null ? null : await host.ConvertAsync(a.Type, a.OldObject, version, cancellationToken));
            }
            catch (WebhookCallException e)
            {
                throw AdmissionErrors.Internal(e.Message);
            }
        }
        var calls = invocations.Select(i => CallAsync(i, a, versioned[i.Version], cancellationToken)).ToList();
        var warnings = new List<string>();
        ApiException? first = null;
        while (calls.Count > 0)
        {
            var done = await Task.WhenAny(calls);
            calls.Remove(done);
            var (refusal, hookWarnings) = await done;
            warnings.AddRange(hookWarnings);
            first ??= refusal;
        }
        if (first is not null)
            throw first;
        return warnings;
    }

    private async Task<(ApiException? Refusal, IReadOnlyList<string> Warnings)> CallAsync(
        Invocation invocation, AdmissionAttributes a, (JsonObject? Object, JsonObject? Old) objects, CancellationToken ct)
    {
        var hook = invocation.Hook;
        if (a.DryRun && hook.SideEffects is not ("None" or "NoneOnDryRun"))
        {
            if (hook.SideEffects is null)
                return Failed(hook, "Webhook SideEffects is nil");
            return (ApiException.BadRequest($"admission webhook \"{hook.Name}\" does not support dry run"), []);
        }
        if (hook.ConfigError is { } configError)
            return Failed(hook, configError);
        if (AdmissionReview.PickVersion(hook.AdmissionReviewVersions) is not { } reviewVersion)
            return Failed(hook, "webhook does not accept known AdmissionReview versions (v1, v1beta1)");
        var uid = Guid.NewGuid().ToString();
        var review = AdmissionReview.Request(reviewVersion, uid, a, invocation.Version, objects.Object, objects.Old);
        var config = hook.ClientConfig!;
        var url = $"{config.BaseUrl}?timeout={hook.TimeoutSeconds}s";
        JsonObject answer;
        try
        {
            (string, int)? dialTo;
            try
            {
                dialTo = host.Resolve(config);
            }
            catch (WebhookCallException e)
            {
                return Failed(hook, $"failed to call webhook: Post \"{url}\": {e.Message}");
            }
            answer = await transport.PostAsync(url, dialTo, config.CaBundlePem, review, TimeSpan.FromSeconds(hook.TimeoutSeconds), ct);
        }
        catch (WebhookCallException e)
        {
            return Failed(hook, $"failed to call webhook: {e.Message}");
        }
        try
        {
            var (allowed, status, warnings) = AdmissionReview.Verdict(answer, reviewVersion, uid);
            return (allowed ? null : AdmissionErrors.Denied(hook.Name, status), warnings);
        }
        catch (Exception e) when (e is WebhookCallException or InvalidOperationException or FormatException)
        {
            return Failed(hook, $"received invalid webhook response: {e.Message}");
        }
    }

    /// <summary>A call that did not produce a verdict: ignored under failurePolicy Ignore, else a 500.</summary>
    private static (ApiException?, IReadOnlyList<string>) Failed(ValidatingWebhook hook, string reason) =>
        hook.FailOpen ? (null, []) : (AdmissionErrors.Internal($"failed calling webhook \"{hook.Name}\": {reason}"), []);

    /// <summary>
    /// generic.Webhook.ShouldCallHook: namespaceSelector, objectSelector, then the rules (the
    /// request's own version first, then with matchPolicy Equivalent the resource's other versions).
    /// </summary>
    private Invocation? ShouldCall(ValidatingWebhook hook, AdmissionAttributes a)
    {
        var (nsMatches, nsError) = MatchNamespace(hook, a);
        if (!nsMatches && nsError is null)
            return null;
        var (objMatches, objError) = MatchObject(hook, a);
        if (!objMatches && objError is null)
            return null;
        var invocation = Match(hook, a.Type, a.Version, a.Subresource, a.Operation, a.Namespace);
        if (invocation is null)
            return null;
        if (nsError is not null)
            throw nsError;
        if (objError is not null)
            throw objError;
        return invocation;
    }

    private static Invocation? Match(ValidatingWebhook hook, Store.ResourceType type, string version, string? sub, string op, string? ns)
    {
        if (hook.Rules.Any(r => RuleMatcher.Matches(r, type, version, sub, op, ns)))
            return new Invocation(hook, version);
        if (!hook.MatchEquivalent)
            return null;
        foreach (var rule in hook.Rules)
        {
            foreach (var other in type.Versions)
            {
                if (other != version && RuleMatcher.Matches(rule, type, other, sub, op, ns))
                    return new Invocation(hook, other);
            }
        }
        return null;
    }

    private (bool, ApiException?) MatchNamespace(ValidatingWebhook hook, AdmissionAttributes a)
    {
        bool isNamespace = a.Type.Group.Length == 0 && a.Type.Plural == "namespaces";
        if (string.IsNullOrEmpty(a.Namespace) && !isNamespace)
            return (true, null);   // cluster-scoped objects are never exempted
        if (!ObjectLabelSelector.TryParse(hook.NamespaceSelector, out var selector, out var error))
            return (false, AdmissionErrors.Internal(error!));
        if (selector.IsEmpty)
            return (true, null);
        JsonObject? labels;
        if (isNamespace && a.Subresource is null && a.Operation is "CREATE" or "UPDATE")
            labels = Store.Meta.Labels(a.Object!);
        else
        {
            var name = isNamespace ? a.Name : a.Namespace!;
            var ns = host.Namespace(name);
            if (ns is null)
                return (false, ApiException.NotFound($"namespaces \"{name}\" not found"));
            labels = Store.Meta.Labels(ns);
        }
        return (selector.Matches(labels), null);
    }

    private static (bool, ApiException?) MatchObject(ValidatingWebhook hook, AdmissionAttributes a)
    {
        if (!ObjectLabelSelector.TryParse(hook.ObjectSelector, out var selector, out var error))
            return (false, AdmissionErrors.Internal(error!));
        if (selector.IsEmpty)
            return (true, null);
        bool Matches(JsonObject? o) => o is not null && selector.Matches(Store.Meta.Labels(o));
        return (Matches(a.Object) || Matches(a.OldObject), null);
    }

    private static bool IsExempt(Store.ResourceType type) =>
        type.Group == "admissionregistration.k8s.io" && type.Kind is "ValidatingWebhookConfiguration" or "MutatingWebhookConfiguration"
            or "ValidatingAdmissionPolicy" or "ValidatingAdmissionPolicyBinding";
}
