namespace MetalLb.Net.KubeEmulator.Types;

/// <summary>Allocations made by one request, undone when the request fails.</summary>
internal sealed class AllocationUndo(ServiceAllocator alloc)
{
    private readonly List<string> _ips = [];
    private readonly List<int> _ports = [];

    public ServiceAllocator Allocator => alloc;

    public bool ReserveIp(string ip) => Track(alloc.TryReserveIp(ip), ip);

    public string? AllocateIp(bool v6) => alloc.AllocateIp(v6) is { } ip && Track(true, ip) ? ip : null;

    public bool ReservePort(int port)
    {
        if (!alloc.TryReservePort(port))
            return false;
        _ports.Add(port);
        return true;
    }

    public int? AllocatePort()
    {
        var port = alloc.AllocatePort();
        if (port is { } p)
            _ports.Add(p);
        return port;
    }

    public void Rollback()
    {
        _ips.ForEach(alloc.ReleaseIp);
        _ports.ForEach(alloc.ReleasePort);
    }

    private bool Track(bool ok, string ip)
    {
        if (ok)
            _ips.Add(ip);
        return ok;
    }
}
