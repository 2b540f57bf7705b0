using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Kube.Tests.Wire;

/// <summary>
/// A purpose-built Kestrel server that demands a client certificate, because the emulator
/// authenticates by bearer token only. It answers any GET with a Namespace named after the
/// certificate's subject, so a test sees which certificate the client presented.
/// </summary>
internal sealed class ClientCertificateServerFake : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClientCertificateServerFake(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ClientCertificateServerFake> StartAsync(X509Certificate2 serverCertificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = serverCertificate;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.AllowAnyClientCertificate();
        })));
        WebApplication app = builder.Build();
        app.Run(async ctx =>
        {
            X509Certificate2? client = await ctx.Connection.GetClientCertificateAsync();
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + client?.Subject + "\"}}");
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
        return new ClientCertificateServerFake(app, new Uri($"https://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
