using System.Net;
using System.Net.Sockets;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// The objects a webhook test applies with kubectl: the webhook's Namespace, Service and
/// EndpointSlice (pointing at the test's webhook server on 127.0.0.1, so the emulator resolves
/// the service the way kube-apiserver's endpoint routing does), and webhook configurations.
/// </summary>
internal static class AdmissionFixture
{
    public const string Namespace = "webhooks";
    public const string Service = "webhook";
    public const string ServiceHost = "webhook.webhooks.svc";

    /// <summary>Namespace, Service (port 443 named https) and an EndpointSlice with 127.0.0.1:<paramref name="port"/>.</summary>
    public static string ServiceYaml(int port) => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {Namespace}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {Service}
          namespace: {Namespace}
        spec:
          ports:
          - name: https
            port: 443
            targetPort: 9443
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {Service}-abcde
          namespace: {Namespace}
          labels:
            kubernetes.io/service-name: {Service}
        addressType: IPv4
        ports:
        - name: https
          port: {port}
          protocol: TCP
        endpoints:
        - addresses: ["127.0.0.1"]
          conditions:
            ready: true
        """;

    /// <summary>A ValidatingWebhookConfiguration with one webhook on configmaps (CREATE, UPDATE).</summary>
    public static string ConfigMapWebhook(
        string caBundle, string path = "/validate", string failurePolicy = "Fail", int? timeoutSeconds = null,
        string? namespaceSelector = null, string? objectSelector = null, string sideEffects = "None") => $$"""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata:
          name: configmap-policy
        webhooks:
        - name: configmaps.policy.example.com
          admissionReviewVersions: ["v1"]
          sideEffects: {{sideEffects}}
          failurePolicy: {{failurePolicy}}
        {{(timeoutSeconds is { } t ? $"  timeoutSeconds: {t}\n" : "")}}{{(namespaceSelector is null ? "" : $"  namespaceSelector: {namespaceSelector}\n")}}{{(objectSelector is null ? "" : $"  objectSelector: {objectSelector}\n")}}  clientConfig:
            caBundle: {{caBundle}}
            service:
              namespace: {{Namespace}}
              name: {{Service}}
              path: {{path}}
          rules:
          - operations: ["CREATE", "UPDATE"]
            apiGroups: [""]
            apiVersions: ["v1"]
            resources: ["configmaps"]
            scope: Namespaced
        """;

    public static string ConfigMap(string name, string verdict, string ns = "default", string labels = "{}") => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          namespace: {ns}
          labels: {labels}
        data:
          verdict: {verdict}
        """;

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
