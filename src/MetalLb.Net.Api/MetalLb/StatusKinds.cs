using System.Text.Json.Serialization;
using MetalLb.Net.Api.Crds;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

// Status-only kinds written by MetalLB itself. Their identity fields are immutable upstream
// (CEL transition rules), so a status object always describes one node and one Service.

/// <summary>metallb.io/v1beta1 ServiceL2Status: which node announces a Service over L2.</summary>
[CrdKind("ServiceL2Status", "servicel2statuses", "servicel2status",
    Description = "Reports which node answers ARP/NDP for a LoadBalancer Service in layer 2 mode.")]
[CrdVersion("v1beta1")]
[PrinterColumn(1, "Allocated Node", "string", ".status.node")]
[PrinterColumn(2, "Service Name", "string", ".status.serviceName")]
[PrinterColumn(3, "Service Namespace", "string", ".status.serviceNamespace")]
public sealed class ServiceL2Status : KubeObject
{
    [Description("Empty: everything this kind reports is in status.")]
    [JsonPropertyName("spec")] public Dictionary<string, object>? Spec { get; set; }
    [JsonPropertyName("status")] public ServiceL2StatusStatus? Status { get; set; }
}

[Description("The announcing node and the Service it announces.")]
public sealed class ServiceL2StatusStatus
{
    [CelRule("self == oldSelf", "Value is immutable")]
    [Description("The node that receives the Service's traffic.")]
    [JsonPropertyName("node")] public string? Node { get; set; }

    [CelRule("self == oldSelf", "Value is immutable")]
    [Description("Name of the Service this status is about.")]
    [JsonPropertyName("serviceName")] public string? ServiceName { get; set; }

    [CelRule("self == oldSelf", "Value is immutable")]
    [Description("Namespace of the Service this status is about.")]
    [JsonPropertyName("serviceNamespace")] public string? ServiceNamespace { get; set; }

    /// <summary>Set only when not every interface announces.</summary>
    [Description("The interfaces the node answers on; absent when it answers on all of them.")]
    [JsonPropertyName("interfaces")] public List<InterfaceInfo>? Interfaces { get; set; }
}

[Description("One network interface used for a layer 2 announcement.")]
public sealed class InterfaceInfo
{
    [Description("The interface name.")]
    [JsonPropertyName("name")] public string? Name { get; set; }
}

/// <summary>metallb.io/v1beta1 ServiceBGPStatus: which peers a node announces a Service to.</summary>
[CrdKind("ServiceBGPStatus", "servicebgpstatuses", "servicebgpstatus",
    Description = "Reports, for one node, the BGP peers a LoadBalancer Service is configured to be announced to.")]
[CrdVersion("v1beta1")]
[PrinterColumn(1, "Node", "string", ".status.node")]
[PrinterColumn(2, "Service Name", "string", ".status.serviceName")]
[PrinterColumn(3, "Service Namespace", "string", ".status.serviceNamespace")]
public sealed class ServiceBGPStatus : KubeObject
{
    [Description("Empty: everything this kind reports is in status.")]
    [JsonPropertyName("spec")] public Dictionary<string, object>? Spec { get; set; }
    [JsonPropertyName("status")] public ServiceBGPStatusStatus? Status { get; set; }
}

[Description("The announcing node, the Service and its peers.")]
public sealed class ServiceBGPStatusStatus
{
    [CelRule("self == oldSelf", "Value is immutable")]
    [Description("The node announcing the Service.")]
    [JsonPropertyName("node")] public string? Node { get; set; }

    [CelRule("self == oldSelf", "Value is immutable")]
    [Description("Name of the Service this status is about.")]
    [JsonPropertyName("serviceName")] public string? ServiceName { get; set; }

    [CelRule("self == oldSelf", "Value is immutable")]
    [Description("Namespace of the Service this status is about.")]
    [JsonPropertyName("serviceNamespace")] public string? ServiceNamespace { get; set; }

    [Description("Names of the BGPPeers the Service is configured to be announced to from this node. Whether a session is up, and so whether the route really reached the peer, is not shown here.")]
    [JsonPropertyName("peers")] public List<string>? Peers { get; set; }
}

/// <summary>metallb.io/v1beta1 ConfigurationState: whether a component's configuration loaded.</summary>
[CrdKind("ConfigurationState", "configurationstates", "configurationstate",
    Description = "Status-only report of whether a MetalLB component (labelled metallb.io/component-type: controller or speaker, and metallb.io/node-name for speakers) accepted the current configuration.")]
[CrdVersion("v1beta1")]
[PrinterColumn(1, "Result", "string", ".status.result")]
[PrinterColumn(2, "ErrorSummary", "string", ".status.errorSummary")]
[PrinterColumn(3, "Age", "date", ".metadata.creationTimestamp")]
public sealed class ConfigurationState : KubeObject
{
    [JsonPropertyName("status")] public ConfigurationStateStatus? Status { get; set; }
}

[Description("The outcome of the component's last configuration load.")]
public sealed class ConfigurationStateStatus
{
    /// <summary>Valid, Invalid or Unknown.</summary>
    [Enum("Valid", "Invalid", "Unknown")]
    [Description("Whether the configuration is valid: Valid, Invalid or Unknown.")]
    [JsonPropertyName("result")] public string? Result { get; set; }

    [Description("The reconcile errors, joined; empty when result is Valid.")]
    [JsonPropertyName("errorSummary")] public string? ErrorSummary { get; set; }

    [ListType("map"), ListMapKeys("type")]
    [Description("One condition per reconciler of the component (poolReconcilerValid, configReconcilerValid).")]
    [JsonPropertyName("conditions")] public List<Condition>? Conditions { get; set; }
}
