using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>
/// Two speakers that cannot gossip each believe the other dead and both answer for the IP; the
/// client follows whoever announced last. When the cut heals, the rightful owner must win the
/// client back, although in its own view it never lost the IP, and its status object.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class L2PartitionTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task After_a_healed_partition_the_owner_announces_again_and_the_client_follows_it_back()
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Nodes = 2, Router = false, Output = output.WriteLine });
        var s = new Scenario(lab);
        await s.PoolAsync("lan", Scenario.L2Addresses);
        await s.L2AdvertisementAsync("lan");
        await s.ServiceAsync("web", "lan");
        string ip = (await s.IPsAsync("web")).Single();
        var order = s.ElectionOrder(ip);
        var (owner, other) = (order[0], order[1]);
        await s.WaitAnsweredByAsync(ip, owner);
        lab.Client.Resolve(ip);
        await Wait.ForAsync(() => lab.Client.Neighbour(ip), e => e?.Mac == owner.Mac, $"the client's entry for {ip} at {owner}", () => lab.Describe(20));

        // Cut gossip between the two nodes only: the client still reaches both, and the API
        // forwarders do not use these links.
        Nftables.DropIncoming(owner.Namespace, $"ip saddr {other.IPv4}");
        Nftables.DropOutgoing(owner.Namespace, $"ip daddr {other.IPv4}");
        try
        {
            // The other node declares the owner dead, takes the IP and announces it.
            await Wait.ForAsync(() => lab.Client.Neighbour(ip), e => e?.Mac == other.Mac,
                $"the client's entry for {ip} to move to {other} while the nodes are apart", () => lab.Describe(30));
        }
        catch
        {
            Nftables.Clear(owner.Namespace);
            throw;
        }

        // Heal. The other node yields; the owner, which in its own view never lost the IP, must
        // claim it again with gratuitous ARP, or the LAN keeps sending to the other node.
        using var capture = lab.Client.Tcpdump("arp");
        Nftables.Clear(owner.Namespace);
        await Wait.ForAsync(() => lab.Client.Neighbour(ip), e => e?.Mac == owner.Mac,
            $"the client's entry for {ip} back at {owner} after the partition healed", () => lab.Describe(30));
        await Wait.ForAsync(() => capture.ArpClaims(ip).Count(c => c.Mac == owner.Mac), n => n > 0,
            $"a gratuitous ARP for {ip} from {owner} after the heal", () => string.Join('\n', capture.Lines));
        await s.WaitAnsweredByAsync(ip, owner);
        // While apart, each node deleted the other's ServiceL2Status as an owner does; healed,
        // the owner's must be back and the other's gone.
        await Wait.ForAsync(() => s.L2StatusesAsync("web"), l => l.Count == 1 && l[0].Status?.Node == owner.Name,
            $"one ServiceL2Status for web, naming {owner.Name}", () => lab.Describe(30));
    }
}
