using System.Globalization;

namespace Operator.Runtime.Metrics.Exposition;

/// <summary>
/// Numbers as Prometheus's own Go clients write them: the shortest representation that parses back to the same
/// double, in exponent form only below 1e-4 or from 1e6 up (Go's <c>strconv.FormatFloat(f, 'g', -1, 64)</c>),
/// so <c>1e-08</c>, never .NET's <c>1E-08</c>.
/// </summary>
public static class PrometheusNumber
{
    /// <summary>A sample value.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        // "R" is the shortest round-trip form; take its digits and decimal exponent and lay them out as Go does.
        var (digits, exponent) = Decompose(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        var sign = value < 0 ? "-" : string.Empty;
        if (exponent < -4 || exponent >= 6)
        {
            var mantissa = digits.Length == 1 ? digits : $"{digits[0]}.{digits[1..]}";
            return $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        if (exponent < 0)
        {
            return $"{sign}0.{new string('0', -exponent - 1)}{digits}";
        }

        return digits.Length <= exponent + 1
            ? $"{sign}{digits}{new string('0', exponent + 1 - digits.Length)}"
            : $"{sign}{digits[..(exponent + 1)]}.{digits[(exponent + 1)..]}";
    }

    /// <summary>
    /// A histogram <c>le</c> label value in OpenMetrics' canonical form (<c>1.0</c>, <c>0.005</c>, <c>1e-08</c>,
    /// <c>+Inf</c>): the same in both exposition formats, and what Prometheus 3 normalizes <c>le</c> to, so a
    /// change of format or Prometheus version never splits a bucket's series.
    /// </summary>
    public static string Canonical(double value)
    {
        var text = Format(value);
        return double.IsFinite(value) && !text.Contains('.', StringComparison.Ordinal) && !text.Contains('e', StringComparison.Ordinal) ? text + ".0" : text;
    }

    /// <summary>The significant digits (no leading or trailing zeros) and the decimal exponent of the first digit.</summary>
    private static (string Digits, int Exponent) Decompose(string roundTrip)
    {
        var exponent = 0;
        var e = roundTrip.IndexOf('E', StringComparison.Ordinal);
        var mantissa = roundTrip;
        if (e >= 0)
        {
            exponent = int.Parse(roundTrip.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = roundTrip[..e];
        }

        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point >= 0 ? point : mantissa.Length;
        var all = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var leadingZeros = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        return (digits, exponent + integerDigits - 1 - leadingZeros);
    }
}
