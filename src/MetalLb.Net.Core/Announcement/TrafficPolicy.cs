namespace MetalLb.Net.Core.Announcement;

/// <summary>spec.externalTrafficPolicy: Cluster (the Kubernetes default) or Local.</summary>
public enum TrafficPolicy
{
    Cluster,
    Local,
}
