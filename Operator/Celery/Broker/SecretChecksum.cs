// A checksum over the data of the Secrets a resource references. It goes into the pod template, so a
// rotated broker password changes the template and Kubernetes rolls the pods onto the new value.
// Invariant: the same data in any order gives the same checksum; the data itself cannot be read back.
using System.Security.Cryptography;
using System.Text;

namespace Operator.Celery.Broker;

/// <summary>Computes the checksum of referenced Secret values.</summary>
public static class SecretChecksum
{
    /// <summary>Checksum of (secret name, key, value) triples.</summary>
    public static string Compute(IEnumerable<(string Secret, string Key, byte[] Value)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (secret, key, value) in entries.OrderBy(e => e.Secret, StringComparer.Ordinal).ThenBy(e => e.Key, StringComparer.Ordinal))
        {
            // Length-prefix every part so ("ab","c") and ("a","bc") never hash alike.
            Append(hash, Encoding.UTF8.GetBytes(secret));
            Append(hash, Encoding.UTF8.GetBytes(key));
            Append(hash, value);
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static void Append(IncrementalHash hash, byte[] data)
    {
        hash.AppendData(BitConverter.GetBytes(data.Length));
        hash.AppendData(data);
    }
}
