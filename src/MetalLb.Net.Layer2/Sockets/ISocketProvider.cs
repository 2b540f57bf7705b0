namespace MetalLb.Net.Layer2.Sockets;

/// <summary>
/// Where sockets are created. A socket belongs to the network namespace of the thread that
/// created it, so tests (and a speaker serving another namespace) pass a provider that runs the
/// creation on a thread that entered that namespace; everything after creation is unchanged.
/// </summary>
public interface ISocketProvider
{
    /// <summary>Runs <paramref name="create"/> (a socket(2) call and nothing slow) in the provider's namespace.</summary>
    T Create<T>(Func<T> create);
}
