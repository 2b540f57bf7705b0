using System.Buffers;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Tests.Wire;

/// <summary>
/// Messages captured from gobgpd 3.10, BIRD 2.0.12 and FRR 8.4 (scripts/bgp/capture-golden.sh):
/// each decodes and re-encodes to the very same bytes, and says what the peer was configured to send.
/// </summary>
public class GoldenMessageTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "testdata", "golden");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Folder, "*.hex").Order())
            data.Add(Path.GetFileName(f));
        return data;
    }

    private static byte[] Load(string name) => Hex.Parse(File.ReadAllText(Path.Combine(Folder, name)));

    [Fact]
    public void Every_peer_and_message_type_is_covered()
    {
        var names = Directory.GetFiles(Folder, "*.hex").Select(Path.GetFileName).ToList();
        foreach (var peer in new[] { "gobgpd", "bird", "frr" })
            foreach (var type in new[] { "open", "update", "keepalive", "notification" })
                Assert.Contains(names, n => n!.StartsWith(peer, StringComparison.Ordinal) && n.Contains(type, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Decodes_and_reencodes_to_the_same_bytes(string file)
    {
        var bytes = Load(file);
        var status = BgpMessageReader.TryRead(bytes, out var message, out var consumed, out var error);
        Assert.Equal(OperationStatus.Done, status);
        Assert.False(error.IsError);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(Hex.Of(bytes), Hex.Of(Hex.EncodeDirty(message!)));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Carries_what_the_peer_was_configured_with(string file)
    {
        BgpMessageReader.TryRead(Load(file), out var message, out _, out _);
        switch (message)
        {
            case OpenMessage open:
                // Every peer was AS 65001 with router id 192.0.2.2 and offered IPv4 + IPv6 unicast.
                Assert.Equal(65001u, open.PeerAs);
                Assert.Equal(0xC0000202u, open.BgpIdentifier);
                Assert.True(open.SupportsFourOctetAs);
                var families = open.Capabilities.Select(c => c.TryGetMultiprotocol(out var a, out _) ? a : (Afi)0).ToList();
                Assert.Contains(Afi.IPv4, families);
                Assert.Contains(Afi.IPv6, families);
                break;
            case UpdateMessage update:
                var r = UpdateValidator.Validate(update, fourOctetAs: true, isInternal: false);
                Assert.Equal(UpdateErrorAction.None, r.Action);
                if (r.IsEndOfRib)
                    break;
                var prefix = Assert.Single(r.Announced);
                Assert.Contains(prefix.ToString(), new[] { "203.0.113.0/24", "2001:db8:1::/48" });
                Assert.Equal([65001u], r.AsPath.SelectMany(s => s.Asns));
                Assert.Contains((65000u << 16) | 100, r.Communities);
                Assert.Contains(new LargeCommunity(65000, 1, 2), r.LargeCommunities);
                break;
            case NotificationMessage n:
                Assert.Contains(n.Error.Code, new[] { BgpErrorCode.MessageHeader, BgpErrorCode.HoldTimerExpired });
                break;
            default:
                Assert.IsType<KeepaliveMessage>(message);
                break;
        }
    }
}
