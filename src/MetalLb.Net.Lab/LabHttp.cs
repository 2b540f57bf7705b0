using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MetalLb.Net.Lab;

/// <summary>
/// The lab's one HTTP exchange, both ends: <see cref="NodeBackend"/> answers any request with
/// its node's name, and the probes of `lab failover` and `lab soak` send a GET over a new
/// connection and read which node answered. Kept in one place so the answer the backend writes
/// and the parse the probes do cannot drift apart.
/// </summary>
public static class LabHttp
{
    private static readonly byte[] Request = "GET / HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n"u8.ToArray();

    /// <summary>The backend's whole answer (it closes the connection after it): status 200, the node's name as the body.</summary>
    public static byte[] NodeAnswer(string nodeName)
    {
        string body = nodeName + "\n";
        return Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
    }

    /// <summary>The node's name from an answer as <see cref="NodeAnswer"/> writes it; null unless it is a 200 with a body after the head.</summary>
    public static string? NodeFromAnswer(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        int body = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return answer.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && body >= 0 ? answer[(body + 4)..].Trim() : null;
    }

    /// <summary>
    /// One GET over a new connection made in the client's namespace: the answering node's name,
    /// or null when there was no (good) answer within <paramref name="timeout"/>. Cancelling
    /// <paramref name="ct"/> throws instead, so a stopped run is not counted as a failed request.
    /// </summary>
    public static async Task<string?> GetNodeAsync(NamespaceSockets client, IPEndPoint target, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(target);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        using var s = client.NewSocket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await s.ConnectAsync(target, deadline.Token);
            await s.SendAsync(Request, deadline.Token);
            var buffer = new byte[1024];
            int read = await ReceiveAsync(s, buffer, untilHeadEnd: false, deadline.Token);
            return NodeFromAnswer(Encoding.ASCII.GetString(buffer, 0, read));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads into <paramref name="buffer"/> until the peer closes or the buffer is full, or, with
    /// <paramref name="untilHeadEnd"/>, until the end of a request's head (the body of a GET is
    /// empty); returns how many bytes were read.
    /// </summary>
    internal static async Task<int> ReceiveAsync(Socket s, byte[] buffer, bool untilHeadEnd, CancellationToken ct)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(read), ct);
            if (n == 0)
                break;
            read += n;
            if (untilHeadEnd && buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) >= 0)
                break;
        }
        return read;
    }
}
