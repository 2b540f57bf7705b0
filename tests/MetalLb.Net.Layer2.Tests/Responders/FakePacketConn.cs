using System.Collections.Concurrent;
using MetalLb.Net.Layer2.Sockets;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Tests.Responders;

/// <summary>An in-memory link end: frames injected are received; frames sent are recorded.</summary>
internal sealed class FakePacketConn : IPacketConn
{
    private readonly BlockingCollection<byte[]> _incoming = new();
    private readonly ConcurrentQueue<byte[]> _sent = new();
    private int _received;
    private int _waiting;

    public HashSet<MacAddress> Groups { get; } = [];

    public bool Disposed { get; private set; }

    public IReadOnlyList<byte[]> Sent => [.. _sent];

    /// <summary>How many frames the responder has taken off the queue.</summary>
    public int Taken => Volatile.Read(ref _received);

    /// <summary>True once every injected frame was handled: the responder is back waiting for the next.</summary>
    public bool Drained => _incoming.Count == 0 && Volatile.Read(ref _waiting) > 0;

    public void Inject(byte[] frame) => _incoming.Add(frame);

    public int Receive(Span<byte> frame)
    {
        // The responder calls Receive again only after handling the previous frame, so a call
        // that finds the queue empty means everything before it was handled.
        if (!_incoming.TryTake(out var next, 50))
        {
            Interlocked.Increment(ref _waiting);
            return 0;
        }
        Volatile.Write(ref _waiting, 0);
        Interlocked.Increment(ref _received);
        next.AsSpan(0, Math.Min(next.Length, frame.Length)).CopyTo(frame);
        return Math.Min(next.Length, frame.Length);
    }

    public void Send(ReadOnlySpan<byte> frame) => _sent.Enqueue(frame.ToArray());

    public void JoinMulticast(MacAddress group)
    {
        lock (Groups)
            Groups.Add(group);
    }

    public void LeaveMulticast(MacAddress group)
    {
        lock (Groups)
            Groups.Remove(group);
    }

    public void Dispose() => Disposed = true;
}
