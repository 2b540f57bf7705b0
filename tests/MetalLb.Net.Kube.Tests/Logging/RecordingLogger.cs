using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Kube.Tests.Logging;

/// <summary>Keeps every log entry (level, event id, message, exception) for a test to read.</summary>
internal sealed class RecordingLogger : ILogger
{
    public sealed record Entry(LogLevel Level, EventId Id, string Message, Exception? Exception);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _entries.Enqueue(new Entry(logLevel, eventId, formatter(state, exception), exception));
    }
}
