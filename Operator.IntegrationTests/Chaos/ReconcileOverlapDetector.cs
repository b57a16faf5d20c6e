// Detects a key reconciled by two workers at once, in-process and without touching the operator: the controller
// opens a logging scope "{Controller} {Namespace}/{Name}" for exactly the duration of one reconcile, so a logger
// provider that counts open scopes per key sees every reconcile begin and end. Invariant: Overlaps only grows;
// a key's open-scope count is back to 0 once its reconcile has ended.
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Operator.Runtime.Reconcile;

namespace Operator.IntegrationTests.Chaos;

/// <summary>A logger provider recording keys whose reconciles overlapped, and how many reconciles began.</summary>
internal sealed class ReconcileOverlapDetector : ILoggerProvider
{
    private const string ReconcileScopeFormat = "{Controller} {Namespace}/{Name}";
    private readonly ConcurrentDictionary<string, int> open = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> overlaps = new();
    private long begun;

    /// <summary>Keys (namespace/name) that were ever reconciled by two workers at the same time.</summary>
    public IReadOnlyList<string> Overlaps => [.. overlaps];

    public long ReconcilesBegun => Interlocked.Read(ref begun);

    public ILogger CreateLogger(string categoryName) =>
        categoryName == typeof(Controller).FullName ? new ScopeLogger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private IDisposable? Begin<TState>(TState state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values
            || !values.Any(v => v.Key == "{OriginalFormat}" && Equals(v.Value, ReconcileScopeFormat)))
        {
            return null;
        }

        var key = $"{values.First(v => v.Key == "Namespace").Value}/{values.First(v => v.Key == "Name").Value}";
        Interlocked.Increment(ref begun);
        if (open.AddOrUpdate(key, 1, (_, count) => count + 1) > 1)
        {
            overlaps.Enqueue(key);
        }

        return new Scope(() => open.AddOrUpdate(key, 0, (_, count) => count - 1));
    }

    private sealed class ScopeLogger(ReconcileOverlapDetector detector) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => detector.Begin(state);

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }

    private sealed class Scope(Action end) : IDisposable
    {
        private int ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref ended, 1) == 0)
            {
                end();
            }
        }
    }
}
