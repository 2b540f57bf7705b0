using System.Text.Json.Serialization;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;

namespace MetalLb.Net.Api.Serialization;

/// <summary>
/// Source-generated System.Text.Json metadata for every kind MetalLb.Net reads or writes.
/// Nulls are left out on write, as the Go clients' omitempty does.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(IPAddressPool))]
[JsonSerializable(typeof(L2Advertisement))]
[JsonSerializable(typeof(BGPAdvertisement))]
[JsonSerializable(typeof(BGPPeer))]
[JsonSerializable(typeof(BGPPeerV1Beta1))]
[JsonSerializable(typeof(Community))]
[JsonSerializable(typeof(BFDProfile))]
[JsonSerializable(typeof(ServiceL2Status))]
[JsonSerializable(typeof(ServiceBGPStatus))]
[JsonSerializable(typeof(ConfigurationState))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(EndpointSlice))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(Pod))]
public sealed partial class ApiJsonContext : JsonSerializerContext
{
}
