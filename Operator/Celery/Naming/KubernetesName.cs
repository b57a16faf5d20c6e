// Deterministic names that always fit Kubernetes' limits. Invariant: a name within the limit is returned
// unchanged; a longer one keeps a readable prefix and ends in a hash of the whole name, so two different long
// inputs never collide on the same truncated prefix, and the same input always gives the same name.
using System.Security.Cryptography;
using System.Text;

namespace Operator.Celery.Naming;

/// <summary>Builds names and label values that respect Kubernetes length and character rules.</summary>
public static class KubernetesName
{
    /// <summary>DNS-1123 label limit (Service names, label values, most child names).</summary>
    public const int DnsLabelMaxLength = 63;

    private const int HashLength = 8;

    /// <summary>
    /// Joins parts with '-' and fits the result into <paramref name="maxLength"/>. Dots (allowed in a resource's
    /// name, not in the DNS labels most children need) become '-', and a hash of the original keeps "a.b" and
    /// "a-b" apart.
    /// </summary>
    public static string Join(int maxLength, params string[] parts)
    {
        var joined = string.Join('-', parts.Where(p => p.Length > 0));
        if (!joined.Contains('.', StringComparison.Ordinal))
        {
            return Fit(joined, maxLength);
        }

        return $"{Fit(joined.Replace('.', '-'), maxLength - HashLength - 1)}-{Hash(joined)}";
    }

    /// <summary>Returns <paramref name="name"/>, or a truncated prefix plus '-' plus a hash of it when too long.</summary>
    public static string Fit(string name, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, HashLength + 2);
        if (name.Length <= maxLength)
        {
            return name;
        }

        var prefix = name[..(maxLength - HashLength - 1)].TrimEnd('-', '.', '_');
        return $"{prefix}-{Hash(name)}";
    }

    /// <summary>A label value (at most 63 characters, starting and ending alphanumeric) derived from <paramref name="value"/>.</summary>
    public static string LabelValue(string value) => Fit(value, DnsLabelMaxLength);

    /// <summary>The first 8 hex characters of SHA-256 of the text.</summary>
    public static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..HashLength];
}
