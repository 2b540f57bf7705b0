using System.Net.Sockets;
using MetalLb.Net.Bgp.Bfd;
using MetalLb.Net.Bgp.Tests.Interop;

namespace MetalLb.Net.Bgp.Tests.Bfd;

/// <summary>
/// An <see cref="InteropLab"/> (us at 192.0.2.1 / 2001:db8::1, the peer at .2 / ::2) plus our
/// BFD engine with its sockets in our namespace, stopped before the lab deletes the namespaces.
/// </summary>
internal sealed class BfdLab : IAsyncDisposable
{
    private BfdLab(InteropLab lab)
    {
        Lab = lab;
        var thread = lab.Net.Thread(lab.Us);
        Engine = new BfdEngine(new BfdEngineOptions { SocketFactory = f => thread.Run(() => new Socket(f, SocketType.Dgram, ProtocolType.Udp)) }, TimeProvider.System);
    }

    public InteropLab Lab { get; }
    public BfdEngine Engine { get; }
    public FrrBfdd? Frr { get; private set; }

    public static async Task<BfdLab> CreateAsync()
    {
        var lab = InteropLab.Create("bfdd", "vtysh", "nft");
        var bfd = new BfdLab(lab);
        await bfd.Engine.StartAsync();
        return bfd;
    }

    public FrrBfdd StartFrr(string bfdConfig, string? bgpConfig = null)
    {
        Frr = new FrrBfdd(Lab.Net, Lab.Peer, bfdConfig, bgpConfig);
        Eventually.Diagnostics.Value = () => $"ours: {string.Join("\n", Engine.GetSessions())}\ndropped: {string.Join(", ", Engine.Dropped)}\n{Frr.Describe()}";
        return Frr;
    }

    /// <summary>nft in <paramref name="ns"/>: a table of its own, deleted again by <see cref="NftFlush"/>.</summary>
    public void Nft(string ns, string rules)
    {
        var file = Path.Combine(Lab.Net.Dir, $"nft-{ns}-{Guid.NewGuid():n}.conf");
        File.WriteAllText(file, $"table inet bfdtest {{\n{rules}\n}}\n");
        NetLab.InNs(ns, $"nft -f {file}");
    }

    public static void NftFlush(string ns) => NetLab.InNs(ns, "nft delete table inet bfdtest", check: false);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Engine.DisposeAsync();
        }
        finally
        {
            await Lab.DisposeAsync();
        }
    }
}
