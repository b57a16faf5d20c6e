// A hash of the configuration the operator last applied, stamped as an annotation on the object itself. A
// field the operator stops applying is invisible to a subset comparison (it is simply absent from the
// desired object), but it changes the hash, so the next apply removes it. Invariant: the hash covers the
// whole desired object except the annotation itself, in a canonical form (sorted keys).
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Operator.Runtime.Apply;

/// <summary>Computes and stamps the applied-configuration hash.</summary>
public static class AppliedConfigurationHash
{
    /// <summary>Stamps <paramref name="annotation"/> = hash of <paramref name="desired"/> into its metadata.annotations.</summary>
    public static string Stamp(JsonObject desired, string annotation)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var metadata = desired["metadata"] as JsonObject ?? throw new ArgumentException("object has no metadata", nameof(desired));
        var annotations = metadata["annotations"] as JsonObject;
        annotations?.Remove(annotation);
        if (annotations is { Count: 0 })
        {
            // Hash the same form whether or not the object was stamped before.
            metadata.Remove("annotations");
            annotations = null;
        }

        var hash = Compute(desired);
        if (annotations is null)
        {
            annotations = [];
            metadata["annotations"] = annotations;
        }

        annotations[annotation] = hash;
        return hash;
    }

    public static string Compute(JsonNode node)
    {
        var canonical = new StringBuilder();
        Write(node, canonical);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))[..16];
    }

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (value is null)
                    {
                        continue;
                    }

                    text.Append(JsonValue.Create(key).ToJsonString()).Append(':');
                    Write(value, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                foreach (var item in array)
                {
                    Write(item, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            default:
                text.Append(node.ToJsonString());
                break;
        }
    }
}
