using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Hosting.Tests;

/// <summary>What --log-level lets through, for our categories and for ASP.NET Core's request logging.</summary>
public sealed class LoggingTests
{
    [Theory]
    [InlineData("info", "controller", LogLevel.Information, true)]
    [InlineData("info", "Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information, false)]
    [InlineData("info", "Microsoft.AspNetCore.Server.Kestrel", LogLevel.Warning, true)]
    [InlineData("debug", "Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information, true)]
    [InlineData("error", "Microsoft.AspNetCore.Server.Kestrel", LogLevel.Warning, false)]
    [InlineData("error", "Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error, true)]
    [InlineData("none", "Microsoft.AspNetCore.Server.Kestrel", LogLevel.Critical, false)]
    public void Log_level_decides_what_is_written(string flag, string category, LogLevel level, bool written)
    {
        using var provider = new ServiceCollection().AddLogging(b => b.AddMetalLbLogging(flag)).BuildServiceProvider();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(category);
        Assert.Equal(written, logger.IsEnabled(level));
    }
}
