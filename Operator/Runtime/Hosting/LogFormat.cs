namespace Operator.Runtime.Hosting;

/// <summary>How console log lines are written.</summary>
public enum LogFormat
{
    /// <summary>One JSON object per line, scopes included: for log collectors.</summary>
    Json,

    /// <summary>One human-readable line per entry, scopes included: for a terminal.</summary>
    Text,
}
