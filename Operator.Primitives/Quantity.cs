// Kubernetes' resource quantity syntax, read as a decimal: the one quantity parser of the codebase (the operator
// compares manifests' quantities with it, the benchmarks read their size options with it). Invariant: TryParse
// accepts exactly Kubernetes' quantity grammar with an exponent of at most two digits, and never throws for a
// value that does not fit; ParseByteCount accepts the same grammar and adds only bounds (a whole, non-negative
// number of bytes that fits a long).
using System.Globalization;
using System.Text.RegularExpressions;

namespace Operator.Primitives;

/// <summary>Parses Kubernetes quantities ("100m", "1Gi", "1e3").</summary>
public static partial class Quantity
{
    /// <summary>
    /// Kubernetes' quantity syntax (a signed decimal with a binary suffix, a decimal suffix or an exponent) read as
    /// a decimal. False for anything else, and for values a decimal cannot hold (those are compared as text).
    /// </summary>
    public static bool TryParse(string text, out decimal value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = 0;
        var match = QuantityPattern().Match(text);
        if (!match.Success || !decimal.TryParse(match.Groups["number"].ValueSpan, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var suffix = match.Groups["suffix"].Value;
        try
        {
            value = suffix switch
            {
                "" => number,
                "Ki" => number * (1L << 10),
                "Mi" => number * (1L << 20),
                "Gi" => number * (1L << 30),
                "Ti" => number * (1L << 40),
                "Pi" => number * (1L << 50),
                "Ei" => number * (1L << 60),
                "n" => number / 1_000_000_000m,
                "u" => number / 1_000_000m,
                "m" => number / 1_000m,
                "k" => number * 1_000m,
                "M" => number * 1_000_000m,
                "G" => number * 1_000_000_000m,
                "T" => number * 1_000_000_000_000m,
                "P" => number * 1_000_000_000_000_000m,
                "E" => number * 1_000_000_000_000_000_000m,
                _ => Exponent(number, int.Parse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
            };
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>
    /// A number of bytes written as a quantity ("512Mi", "100Ki", "1G", "4096"), for an option or field named
    /// <paramref name="name"/>. Throws <see cref="FormatException"/> naming it when the text is no quantity, is
    /// negative, is not a whole number of bytes, or does not fit a long.
    /// </summary>
    public static long ParseByteCount(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var value))
        {
            throw new FormatException($"{name}: '{text}' is not a quantity; write a number of bytes with an optional suffix, e.g. 512Mi, 100Ki, 1G or 4096");
        }

        if (value < 0 || value != decimal.Truncate(value) || value > long.MaxValue)
        {
            throw new FormatException($"{name}: '{text}' is not a whole number of bytes between 0 and {long.MaxValue}");
        }

        return (long)value;
    }

    private static decimal Exponent(decimal number, int exponent)
    {
        var factor = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            factor *= 10;
        }

        return exponent >= 0 ? number * factor : number / factor;
    }

    // The exponent is bounded: hex digests ("12e345678") look like quantities and are compared as text.
    [GeneratedRegex(@"^(?<number>[+-]?(\d+\.?\d*|\.\d+))(?<suffix>[eE][+-]?\d{1,2}|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex QuantityPattern();

}
