namespace Operator.Runtime.Hosting;

/// <summary>
/// Console logging in the configured <see cref="LogFormat"/>. Scopes are always written, so the resource key a
/// controller puts in scope appears on every line of its reconcile; timestamps are UTC ISO 8601.
/// </summary>
public static class OperatorLogging
{
    private const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";

    public static ILoggingBuilder AddOperatorConsole(this ILoggingBuilder logging, LogFormat format)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        return format switch
        {
            LogFormat.Json => logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = TimestampFormat.TrimEnd();
            }),
            LogFormat.Text => logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = TimestampFormat;
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown log format."),
        };
    }
}
