using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace MetalLb.Net.Controller.Tests;

/// <summary>Controller logs into the test's output, shown when a test fails or runs verbosely.</summary>
internal sealed class TestOutputLogs(ITestOutputHelper output) : ILoggerProvider
{
    public static ILoggerFactory Create(ITestOutputHelper output, LogLevel level = LogLevel.Debug) =>
        LoggerFactory.Create(b => b.SetMinimumLevel(level).AddProvider(new TestOutputLogs(output)));

    public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
            }
            catch (InvalidOperationException)
            {
                // The test has ended; late log lines have nowhere to go.
            }
        }
    }
}
