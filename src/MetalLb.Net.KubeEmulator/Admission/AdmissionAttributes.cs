using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Authorization;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Admission;

/// <summary>
/// What admission knows about a write (the real server's admission.Attributes): the resource
/// and version it was made at, the operation (CREATE, UPDATE, DELETE), the object after the
/// registry's defaulting and validation, the stored object before it, and the options.
/// </summary>
internal sealed record AdmissionAttributes(
    ResourceType Type,
    string Version,
    string? Subresource,
    string Operation,
    string? Namespace,
    string Name,
    JsonObject? Object,
    JsonObject? OldObject,
    bool DryRun,
    JsonObject Options,
    UserInfo User);
