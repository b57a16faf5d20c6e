// The informer's warnings (a failed list, a retry) written to standard error, one line each, so a probe that does not
// sync says why. Standard output carries only the result line the benchmark parses.
using Microsoft.Extensions.Logging;

namespace Operator.InformerProbe;

/// <summary>Writes warnings and errors to standard error; everything below is dropped.</summary>
public sealed class StandardErrorLogger<T> : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.Message})")}");
        }
    }
}
