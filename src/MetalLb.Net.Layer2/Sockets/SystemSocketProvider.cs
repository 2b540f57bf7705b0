namespace MetalLb.Net.Layer2.Sockets;

/// <summary>Sockets in the caller's own network namespace: what the speaker (host network) uses.</summary>
public sealed class SystemSocketProvider : ISocketProvider
{
    public static SystemSocketProvider Instance { get; } = new();

    public T Create<T>(Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return create();
    }
}
