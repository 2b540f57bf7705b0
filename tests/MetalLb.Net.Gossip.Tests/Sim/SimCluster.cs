using System.Net;
using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Tests.Sim;

/// <summary>N members on an <see cref="InMemoryNetwork"/>, all joined through the first one.</summary>
public sealed class SimCluster
{
    private readonly Func<string, IPEndPoint, MemberlistOptions> _profile;
    private readonly int _seed;

    public SimCluster(int size, Func<string, IPEndPoint, MemberlistOptions> profile, int seed, double loss = 0)
    {
        _profile = profile;
        _seed = seed;
        Time = new ManualTimeProvider();
        Network = new InMemoryNetwork(Time, seed);
        for (var i = 0; i < size; i++)
        {
            // Documentation addresses: nothing here touches a real network. 250 hosts per port, so
            // clusters of a thousand fit in 192.0.2.0/24.
            var address = new IPEndPoint(IPAddress.Parse($"192.0.2.{i % 250 + 1}"), 7946 + i / 250);
            var member = new Memberlist(profile($"node-{i:D2}", address), Network.Connect(address), Time, seed * 1000 + i);
            var index = i;
            member.MemberChanged += e => Events.Add((index, e));
            Members.Add(member);
            Addresses.Add(address);
            member.Start();
        }
        for (var i = 1; i < size; i++)
            _ = Members[i].JoinAsync([Addresses[0]]);
        Network.Loss = loss;
    }

    public ManualTimeProvider Time { get; }

    public InMemoryNetwork Network { get; }

    public List<Memberlist> Members { get; } = [];

    public List<IPEndPoint> Addresses { get; } = [];

    public List<(int Observer, MemberEvent Event)> Events { get; } = [];

    public HashSet<int> Stopped { get; } = [];

    public IEnumerable<int> Live => Enumerable.Range(0, Members.Count).Where(i => !Stopped.Contains(i));

    /// <summary>True when every live member sees every live member alive and every stopped one dead or left (not merely suspect).</summary>
    public bool Converged()
    {
        var expected = Live.Select(i => Members[i].Name).ToHashSet();
        return Live.All(i =>
        {
            var all = Members[i].AllMembers;
            return all.Where(m => m.State == MemberState.Alive).Select(m => m.Name).ToHashSet().SetEquals(expected)
                && all.Where(m => m.State != MemberState.Alive).All(m => m.State is MemberState.Dead or MemberState.Left);
        });
    }

    public void Kill(int index)
    {
        Stopped.Add(index);
        Network.Stop(Addresses[index]);
        Members[index].Shutdown();
    }

    /// <summary>A new process for a killed member: same name and address, a fresh state, joined through another member.</summary>
    public Memberlist Restart(int index)
    {
        Network.Restart(Addresses[index]);
        var member = new Memberlist(_profile($"node-{index:D2}", Addresses[index]), Network.Connect(Addresses[index]), Time, _seed * 1000 + index + 500);
        member.MemberChanged += e => Events.Add((index, e));
        Members[index] = member;
        Stopped.Remove(index);
        member.Start();
        _ = member.JoinAsync([Addresses[index == 0 ? 1 : 0]]);
        return member;
    }

    /// <summary>Fail events in which a live member declared another live member dead.</summary>
    public List<(int Observer, MemberEvent Event)> FalseFailures() =>
    [
        .. Events.Where(e => e.Event.Kind == MemberEventKind.Fail
            && !Stopped.Contains(Members.FindIndex(m => m.Name == e.Event.Member.Name))),
    ];
}
