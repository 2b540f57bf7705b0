namespace MetalLb.Net.Kube.Config;

/// <summary>
/// A token read from a file and read again once it is a minute old, as client-go does for the
/// projected service account token: the kubelet rotates the file well before the token expires,
/// so a minute-old copy is always still valid.
/// </summary>
public sealed class FileTokenSource(string path, TimeProvider time) : ITokenSource
{
    /// <summary>How long a read copy is used before the file is read again.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private string? _token;
    private DateTimeOffset _readAt;

    public FileTokenSource(string path) : this(path, TimeProvider.System) { }

    public string Path => path;

    public string GetToken()
    {
        lock (_gate)
        {
            DateTimeOffset now = time.GetUtcNow();
            if (_token is null || now - _readAt >= RefreshPeriod)
            {
                _token = File.ReadAllText(path).Trim();
                _readAt = now;
            }
            return _token;
        }
    }
}
