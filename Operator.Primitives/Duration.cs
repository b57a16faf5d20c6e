// The one duration syntax of the codebase's command lines: a non-negative number with a unit ("250ms", "1.5s",
// "5m", "1h"), a plain number of seconds ("30"), or a TimeSpan with colons ("00:05:00", "1:30", "1.02:00:00").
// Invariant: a parsed duration is finite, non-negative and fits a TimeSpan; everything else is rejected, never
// clamped. Whether zero is allowed is the caller's rule (a delay may be zero, a timeout may not).
using System.Globalization;

namespace Operator.Primitives;

/// <summary>Parses durations written on command lines ("250ms", "90s", "5m", "1h", "30", "00:05:00").</summary>
public static class Duration
{
    /// <summary>What <see cref="TryParse"/> accepts, for usage texts and error messages.</summary>
    public const string Syntax = "a number with ms, s, m or h (250ms, 90s, 5m, 1h), a number of seconds, or hh:mm:ss";

    private static readonly (string Suffix, double Seconds)[] Units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];

    /// <summary>True when <paramref name="text"/> is a duration in <see cref="Syntax"/>; false for anything else.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = TimeSpan.Zero;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
        }

        // "ms" is tried before "m" and "s", so "250ms" is never read as "250m" followed by junk.
        foreach (var (suffix, seconds) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                return TrySeconds(text.AsSpan(0, text.Length - suffix.Length), seconds, out duration);
            }
        }

        return TrySeconds(text, 1, out duration);
    }

    /// <summary>
    /// The duration in <paramref name="text"/>, for an option named <paramref name="name"/>; throws
    /// <see cref="FormatException"/> naming the option and the accepted syntax otherwise.
    /// </summary>
    public static TimeSpan Parse(string text, string name) =>
        TryParse(text, out var duration) ? duration : throw new FormatException($"{name}: '{text}' is not a duration; write {Syntax}");

    // Float without thousands separators or currency; "NaN" and "Infinity" parse as doubles and are refused here.
    private static bool TrySeconds(ReadOnlySpan<char> number, double unitSeconds, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var amount)
            || !double.IsFinite(amount) || amount < 0)
        {
            return false;
        }

        var seconds = amount * unitSeconds;
        if (seconds >= TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
