// Log entries kept in memory, for tests that assert on what the operator logs and how often.
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Operator.IntegrationTests.Reconciliation;

/// <summary>One entry as a logger received it.</summary>
internal sealed record RecordedLogEntry(string Category, LogLevel Level, string Message);

/// <summary>A logger provider that keeps every entry at <see cref="LogLevel.Information"/> or above.</summary>
internal sealed class RecordedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<RecordedLogEntry> entries = new();

    public IReadOnlyList<RecordedLogEntry> Entries => [.. entries];

    public ILoggerFactory CreateFactory() => LoggerFactory.Create(builder => builder.AddProvider(this).SetMinimumLevel(LogLevel.Information));

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Recorder(RecordedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.entries.Enqueue(new RecordedLogEntry(category, logLevel, formatter(state, exception)));
    }
}
