// Which fields server-side apply tracks for a write to one subresource.
// Invariants: apiVersion, kind, metadata itself and the server-owned or identifying metadata fields (name,
// namespace, uid, resourceVersion, generation, creationTimestamp, managedFields, selfLink, deletion*) are never
// tracked; a write to "status" tracks only status; a write to the main resource of a kind with a status
// subresource never tracks status (the API server resets status there).
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

internal static class FieldScope
{
    public const string StatusSubresource = "status";

    private static readonly PathElement ApiVersion = PathElement.Field("apiVersion");
    private static readonly PathElement Kind = PathElement.Field("kind");
    private static readonly PathElement Metadata = PathElement.Field("metadata");
    private static readonly PathElement Status = PathElement.Field("status");

    public static FieldSet Tracked(FieldSet set, TypeSchema schema, string subresource) =>
        set.Where(path => IsTracked(path, schema, subresource));

    /// <summary>
    /// The part of an applied configuration that a write to <paramref name="subresource"/> takes, without the
    /// server-owned metadata fields (name and namespace stay: they identify the object).
    /// </summary>
    public static JsonObject AppliedPart(JsonObject applied, TypeSchema schema, string subresource)
    {
        var config = (JsonObject)applied.DeepClone();
        if (config["metadata"] is JsonObject metadata)
        {
            foreach (var name in ObjectMetaSchema.UntrackedFields.Where(n => n is not ("name" or "namespace")))
            {
                metadata.Remove(name);
            }
        }

        if (subresource == StatusSubresource)
        {
            foreach (var name in config.Select(p => p.Key).Where(n => n is not ("apiVersion" or "kind" or "metadata" or "status")).ToList())
            {
                config.Remove(name);
            }

            if (config["metadata"] is JsonObject identity)
            {
                foreach (var name in identity.Select(p => p.Key).Where(n => n is not ("name" or "namespace")).ToList())
                {
                    identity.Remove(name);
                }
            }
        }
        else if (subresource.Length == 0 && schema.HasStatusSubresource)
        {
            config.Remove("status");
        }

        return config;
    }

    private static bool IsTracked(IReadOnlyList<PathElement> path, TypeSchema schema, string subresource)
    {
        if (path.Count == 0)
        {
            return false;
        }

        var top = path[0];
        if (top == ApiVersion || top == Kind)
        {
            return false;
        }

        if (top == Metadata && (path.Count == 1 || (path[1].IsField && ObjectMetaSchema.UntrackedFields.Contains(path[1].FieldName))))
        {
            return false;
        }

        return subresource switch
        {
            StatusSubresource => top == Status,
            "" when schema.HasStatusSubresource => top != Status,
            _ => true,
        };
    }
}
