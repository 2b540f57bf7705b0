using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.Serialization;
using MetalLb.Net.Kube.Config;

namespace MetalLb.Net.Kube.Rest;

/// <summary>
/// A connection to one API server. Hands out typed <see cref="ResourceClient{T}"/>s; owns the
/// HttpClient, the bearer token and the TLS settings they share.
/// </summary>
public sealed class KubeClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ITokenSource? _token;

    public KubeClient(KubeClientOptions options)
        : this(options, KubeHttp.CreateHandler(options ?? throw new ArgumentNullException(nameof(options))))
    {
    }

    /// <summary>For tests and custom transports: the handler is owned by the client.</summary>
    public KubeClient(KubeClientOptions options, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _token = options.Token;
        // No client-wide timeout: watches stay open for minutes; callers bound requests with tokens.
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = options.Server,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("metallb-net/0.1");
    }

    public KubeClientOptions Options { get; }

    /// <summary>The namespace used when a call names none.</summary>
    public string DefaultNamespace => Options.Namespace;

    /// <summary>A typed client for a kind listed in <see cref="KindRegistry"/>.</summary>
    public ResourceClient<T> Resource<T>() where T : KubeObject
    {
        KindInfo kind = KindRegistry.All.FirstOrDefault(k => k.TypeInfo.Type == typeof(T))
            ?? throw new ArgumentException($"{typeof(T).Name} is not in KindRegistry; pass a ResourceInfo");
        return new ResourceClient<T>(this, ResourceInfo.From(kind), (JsonTypeInfo<T>)kind.TypeInfo);
    }

    /// <summary>A typed client for any resource, e.g. a CRD with its own model and JSON metadata.</summary>
    public ResourceClient<T> Resource<T>(ResourceInfo resource, JsonTypeInfo<T> typeInfo) where T : KubeObject =>
        new(this, resource, typeInfo);

    /// <summary>A client for a resource without a model type: fields beyond metadata stay raw JSON.</summary>
    public ResourceClient<GenericObject> Generic(ResourceInfo resource) =>
        new(this, resource, KubeJsonContext.Default.GenericObject);

    internal async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string pathAndQuery, HttpContent? content, bool streaming, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token.GetToken());
        HttpResponseMessage response = await _http.SendAsync(request,
            streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead,
            ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
            throw await ToExceptionAsync(response, ct).ConfigureAwait(false);
    }

    private static async Task<KubeApiException> ToExceptionAsync(HttpResponseMessage response, CancellationToken ct)
    {
        byte[] body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        KubeStatus? status = null;
        try
        {
            status = JsonSerializer.Deserialize(body, KubeJsonContext.Default.KubeStatus);
        }
        catch (JsonException)
        {
            // Not a Status (a proxy's HTML page, plain text): keep the text as the message below.
        }
        if (status is null || status.Kind != "Status")
        {
            status = new KubeStatus
            {
                Status = "Failure",
                Code = (int)response.StatusCode,
                Reason = response.ReasonPhrase,
                Message = System.Text.Encoding.UTF8.GetString(body),
            };
        }
        return new KubeApiException(response.StatusCode, status);
    }

    public void Dispose() => _http.Dispose();

    internal static bool IsNotFound(KubeApiException e) => e.StatusCode == HttpStatusCode.NotFound;
}
