using System.Text.Json.Nodes;
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
    AdmissionUser User);

/// <summary>The requesting user as AdmissionReview's userInfo carries it.</summary>
internal sealed record AdmissionUser(string Username, IReadOnlyList<string> Groups)
{
    /// <summary>HttpContext.Items key under which an authenticator may leave the request's user.</summary>
    public const string ItemKey = "metallb-net.admission-user";

    /// <summary>Who the emulator's bearer token stands for: the admin of a kubeadm cluster.</summary>
    public static readonly AdmissionUser Admin = new("kubernetes-admin", ["system:masters", "system:authenticated"]);
}
