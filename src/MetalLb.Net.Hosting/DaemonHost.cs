using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Hosting;

/// <summary>
/// What both daemons do the same way: flags whose defaults come from upstream's environment
/// variables, usage errors that exit 2 (as Go's flag package does for upstream), and a host
/// that serves /metrics, /healthz and /readyz on one port, or no HTTP server at all for port 0.
/// </summary>
public static class DaemonHost
{
    /// <summary>A flag whose default is <paramref name="env"/>'s value when that is set, else <paramref name="fallback"/>.</summary>
    public static Option<T> Flag<T>(string name, string description, string? env, T fallback) => new(name)
    {
        Description = env is null ? description : $"{description} (env {env})",
        DefaultValueFactory = _ => env is not null && Environment.GetEnvironmentVariable(env) is { Length: > 0 } v
            ? (T)Convert.ChangeType(v, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture)
            : fallback,
    };

    /// <summary>Parses and runs <paramref name="root"/>; a parse error prints every problem and returns 2.</summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, string program, Func<int> exitCode)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(exitCode);
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.Action is not { ClearsParseErrors: true })
        {
            foreach (var error in result.Errors)
                await Console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"Run '{program} --help' for usage.").ConfigureAwait(false);
            return 2;
        }
        int code = await result.InvokeAsync().ConfigureAwait(false);
        return code != 0 ? code : exitCode();
    }

    /// <summary>
    /// Runs a host with <paramref name="configure"/>'s services until <paramref name="ct"/>. With
    /// <paramref name="port"/> 0 no HTTP server starts at all (a web host would fall back to :5000).
    /// </summary>
    public static Task RunAsync(Action<IServiceCollection, ILoggingBuilder> configure, string bind, int port, CancellationToken ct) =>
        RunAsync(configure, bind, [port], ct);

    /// <summary>As above, serving the same endpoints on every non-zero port of <paramref name="ports"/> (metrics and health apart, as upstream).</summary>
    public static async Task RunAsync(Action<IServiceCollection, ILoggingBuilder> configure, string bind, IReadOnlyList<int> ports, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(ports);
        var listen = ports.Where(p => p > 0).Distinct().ToList();
        if (listen.Count == 0)
        {
            var plain = Host.CreateApplicationBuilder();
            configure(plain.Services, plain.Logging);
            using var host = plain.Build();
            await host.RunAsync(ct).ConfigureAwait(false);
            return;
        }
        var builder = WebApplication.CreateSlimBuilder();
        configure(builder.Services, builder.Logging);
        builder.WebHost.UseUrls([.. listen.Select(port => string.Create(CultureInfo.InvariantCulture,
            $"http://{(bind.Contains(':', StringComparison.Ordinal) ? $"[{bind}]" : bind)}:{port}"))]);
        await using var app = builder.Build();
        app.MapMetalLbEndpoints();
        await app.RunAsync(ct).ConfigureAwait(false);
    }
}
