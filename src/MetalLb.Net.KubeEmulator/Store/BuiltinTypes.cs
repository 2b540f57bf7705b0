namespace MetalLb.Net.KubeEmulator.Store;

/// <summary>The built-in kinds the emulator serves from the start (the ones MetalLb.Net uses).</summary>
internal static class BuiltinTypes
{
    public static IEnumerable<ResourceType> All()
    {
        yield return Core("Namespace", "namespaces", namespaced: false, status: true, "ns");
        yield return Core("Service", "services", namespaced: true, status: true, "svc");
        yield return Core("Node", "nodes", namespaced: false, status: true, "no");
        yield return Core("Pod", "pods", namespaced: true, status: true, "po");
        yield return Core("Secret", "secrets", namespaced: true, status: false);
        yield return Core("ConfigMap", "configmaps", namespaced: true, status: false, "cm");
        yield return Core("Event", "events", namespaced: true, status: false, "ev");
        yield return Core("ServiceAccount", "serviceaccounts", namespaced: true, status: false, "sa");
        yield return Core("Endpoints", "endpoints", namespaced: true, status: false, "ep");
        yield return Core("ResourceQuota", "resourcequotas", namespaced: true, status: true, "quota");
        yield return Grouped("coordination.k8s.io", "v1", "Lease", "leases", namespaced: true, status: false);
        yield return Grouped("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", namespaced: true, status: false);
        yield return Grouped("events.k8s.io", "v1", "Event", "events", namespaced: true, status: false, "ev");
        yield return Grouped("apiextensions.k8s.io", "v1", "CustomResourceDefinition",
            "customresourcedefinitions", namespaced: false, status: true, "crd", "crds");
        // What an install of MetalLb.Net (chart or one-file manifest) creates, and helm reads.
        // Stored as given: no controllers run them (no Pods appear for a Deployment).
        yield return Grouped("apps", "v1", "Deployment", "deployments", namespaced: true, status: true, "deploy");
        yield return Grouped("apps", "v1", "DaemonSet", "daemonsets", namespaced: true, status: true, "ds");
        yield return Grouped("apps", "v1", "ReplicaSet", "replicasets", namespaced: true, status: true, "rs");
        yield return Grouped("apps", "v1", "StatefulSet", "statefulsets", namespaced: true, status: true, "sts");
        yield return Grouped("rbac.authorization.k8s.io", "v1", "Role", "roles", namespaced: true, status: false);
        yield return Grouped("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", namespaced: true, status: false);
        yield return Grouped("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", namespaced: false, status: false);
        yield return Grouped("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", namespaced: false, status: false);
        yield return Grouped("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", namespaced: true, status: true, "pdb");
        yield return Grouped("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
            "validatingwebhookconfigurations", namespaced: false, status: false);
        yield return Grouped("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration",
            "mutatingwebhookconfigurations", namespaced: false, status: false);
        yield return Grouped("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", namespaced: true, status: false, "netpol");
    }

    private static ResourceType Core(string kind, string plural, bool namespaced, bool status, params string[] shortNames) =>
        Grouped("", "v1", kind, plural, namespaced, status, shortNames);

    private static ResourceType Grouped(
        string group, string version, string kind, string plural, bool namespaced, bool status, params string[] shortNames) =>
        new()
        {
            Group = group,
            Versions = [version],
            Kind = kind,
            Plural = plural,
            Singular = kind.ToLowerInvariant(),
            Namespaced = namespaced,
            HasStatus = status,
            ShortNames = shortNames,
        };
}
