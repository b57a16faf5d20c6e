// The applied-fields fingerprint as a value: the first 128 bits of the SHA-256 of the canonical fields (see
// AppliedFieldsFingerprint). Every cached child holds one, so it is two integers inside the cache entry rather than a
// 32-digit string (88 bytes on the heap). Invariants: two fingerprints are equal exactly when their 16 hashed bytes
// are; ToString is those bytes as 32 lowercase hex digits.
using System.Buffers.Binary;

namespace Operator.Runtime.Apply;

/// <summary>128 bits identifying the fields a field manager applied.</summary>
public readonly record struct FieldsFingerprint(ulong High, ulong Low)
{
    /// <summary>The fingerprint of a hash: its first 16 bytes.</summary>
    public static FieldsFingerprint From(ReadOnlySpan<byte> hash) =>
        hash.Length < 16
            ? throw new ArgumentException("A fingerprint needs 16 bytes of hash.", nameof(hash))
            : new(BinaryPrimitives.ReadUInt64BigEndian(hash), BinaryPrimitives.ReadUInt64BigEndian(hash[8..]));

    public override string ToString() => $"{High:x16}{Low:x16}";
}
