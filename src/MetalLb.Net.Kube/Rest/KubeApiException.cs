using System.Net;

namespace MetalLb.Net.Kube.Rest;

/// <summary>
/// A request the API server refused. Carries the server's Status so callers can filter:
/// <c>catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.Conflict)</c>.
/// </summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException(HttpStatusCode statusCode, KubeStatus status)
        : base(Describe(statusCode, status))
    {
        ArgumentNullException.ThrowIfNull(status);
        StatusCode = statusCode;
        Status = status;
    }

    public KubeApiException() : this(HttpStatusCode.InternalServerError, new KubeStatus()) { }

    public KubeApiException(string message) : base(message) => Status = new KubeStatus { Message = message };

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException) => Status = new KubeStatus { Message = message };

    public HttpStatusCode StatusCode { get; }

    /// <summary>The server's Status, or one made from the HTTP response when the body was not a Status.</summary>
    public KubeStatus Status { get; }

    /// <summary>The Status reason (NotFound, Conflict, Invalid, Expired, ...), if any.</summary>
    public string? Reason => Status.Reason;

    private static string Describe(HttpStatusCode code, KubeStatus status) =>
        $"{(int)code} {status?.Reason ?? code.ToString()}: {status?.Message ?? "(no message)"}";
}
