using System.Buffers;
using System.Runtime.CompilerServices;
using MetalLb.Net.Kube.Watch;

namespace MetalLb.Net.Kube.Rest;

public sealed partial class ResourceClient<T>
{
    /// <summary>
    /// One watch connection, event by event, until the server closes it. No retry here: an
    /// ERROR event (410 Gone and the like) is yielded as is, and a refused request throws.
    /// <see cref="ResilientWatch{T}"/> adds resume, relist and reconnect on top.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(
        string? ns = null, ListOptions? options = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string path = Resource.PathFor(ns) + QueryString.For(options, watch: true);
        using HttpResponseMessage response = await _client.SendAsync(HttpMethod.Get, path, null, true, ct).ConfigureAwait(false);
        Stream stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // Newline-delimited JSON: keep unread bytes at the front of a buffer that grows for big objects.
            byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                int start = 0, end = 0;
                while (true)
                {
                    int newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                    if (newline >= 0)
                    {
                        var line = new ReadOnlyMemory<byte>(buffer, start, newline - start);
                        start = newline + 1;
                        if (IsBlank(line.Span))
                            continue;
                        yield return WireJson.ReadWatchEvent(line.Span, TypeInfo);
                        continue;
                    }
                    buffer = MakeRoom(buffer, ref start, ref end);
                    int read = await ReadOrEndAsync(stream, buffer.AsMemory(end), ct).ConfigureAwait(false);
                    if (read == 0)
                    {
                        // A last event without its newline counts if it is whole; a half-sent one
                        // is dropped: the watch resumes before it, so the server sends it again.
                        WatchEvent<T>? last = TryReadLast(buffer.AsSpan(start, end - start));
                        if (last is not null)
                            yield return last;
                        yield break;
                    }
                    end += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Moves the unread bytes to the front, and doubles the buffer when they fill it.</summary>
    private static byte[] MakeRoom(byte[] buffer, ref int start, ref int end)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end < buffer.Length)
            return buffer;
        byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        Buffer.BlockCopy(buffer, 0, bigger, 0, end);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    private static async ValueTask<int> ReadOrEndAsync(Stream stream, Memory<byte> into, CancellationToken ct)
    {
        try
        {
            return await stream.ReadAsync(into, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
        {
            // A cut connection ends the watch like a closed one; the caller resumes.
            return 0;
        }
    }

    private WatchEvent<T>? TryReadLast(ReadOnlySpan<byte> rest)
    {
        if (IsBlank(rest))
            return null;
        try
        {
            return WireJson.ReadWatchEvent(rest, TypeInfo);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \r\t"u8).IsEmpty;
}
