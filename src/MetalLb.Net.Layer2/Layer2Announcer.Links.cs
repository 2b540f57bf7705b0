using MetalLb.Net.Layer2.Interfaces;
using MetalLb.Net.Layer2.Responders;
using MetalLb.Net.Layer2.Sockets;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Layer2;

public sealed partial class Layer2Announcer
{
    /// <summary>
    /// Re-lists links and brings responders in line: new eligible links get one, links that
    /// vanished or stopped being eligible (down, enslaved, excluded) lose theirs, and a link whose
    /// name, MAC or capabilities changed gets a fresh one.
    /// </summary>
    public void Rescan()
    {
        var links = _links.ReadLinks();
        lock (_gate)
        {
            if (_disposed)
                return;
            var verdicts = new Dictionary<string, LinkVerdict>(StringComparer.Ordinal);
            var wanted = new Dictionary<int, LinkInfo>();
            foreach (var link in links)
            {
                var verdict = LinkEligibility.Evaluate(link, _exclude);
                verdicts[link.Name] = verdict;
                if (verdict == LinkVerdict.Eligible && (LinkEligibility.WantsArp(link) || LinkEligibility.WantsNdp(link)))
                    wanted[link.Index] = link;
            }
            foreach (var (index, responder) in _responders.ToList())
            {
                if (!wanted.TryGetValue(index, out var link) || !Same(link, responder.Link))
                {
                    responder.Dispose();
                    _responders.Remove(index);
                    Log.LinkStopped(_logger, responder.Link.Name);
                }
            }
            System.Net.Sockets.SocketException? failure = null;
            foreach (var link in wanted.Values.Where(l => !_responders.ContainsKey(l.Index)))
            {
                try
                {
                    var responder = Open(link);
                    responder.UpdateMemberships(_owned);
                    responder.Start();
                    _responders[link.Index] = responder;
                    Log.LinkStarted(_logger, link.Name, link.Mac.ToString(), responder.AnswersArp, responder.AnswersNdp);
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    Log.LinkOpenFailed(_logger, link.Name, e);
                    // Usually the link vanished between the dump and the bind: the next scan
                    // settles it, and the other links must still get their responders.
                    failure ??= e;
                }
            }
            _verdicts = verdicts;
            // Nothing could be opened at all (e.g. no CAP_NET_RAW): that is news for the caller.
            if (failure is not null && _responders.Count == 0)
                throw failure;
        }
    }

    private LinkResponder Open(LinkInfo link)
    {
        IReadOnlyList<IPacketConn> arp = [];
        try
        {
            arp = LinkEligibility.WantsArp(link) ? _conns.OpenArpLanes(link) : [];
            var ndp = LinkEligibility.WantsNdp(link) ? _conns.OpenNdpLanes(link) : [];
            return new LinkResponder(link, arp, ndp, () => _owned, Metrics);
        }
        catch
        {
            foreach (var conn in arp)
                conn.Dispose();
            throw;
        }
    }

    private void SafeRescan()
    {
        try
        {
            Rescan();
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // Runs on a timer: there is no caller to throw to, so say it and try again next scan.
            Log.ScanFailed(_logger, e);
        }
    }

    private static bool Same(LinkInfo a, LinkInfo b) =>
        a.Name == b.Name && a.Mac == b.Mac
        && LinkEligibility.WantsArp(a) == LinkEligibility.WantsArp(b)
        && LinkEligibility.WantsNdp(a) == LinkEligibility.WantsNdp(b);
}
