// The metadata-only forms of objects and lists (meta.k8s.io PartialObjectMetadata and PartialObjectMetadataList) that
// kube-apiserver returns to clients that ask for them, such as controller-runtime's metadata informers and
// `kubectl get -o name`: the object's whole metadata and nothing else, each item typed as PartialObjectMetadata.
// Stored objects contribute their metadata without the rest of them being parsed (StoredObject.MetadataCopy).
using System.Globalization;
using System.Text.Json.Nodes;
using Operator.Emulator.Storage;

namespace Operator.Emulator.Api;

/// <summary>Builds PartialObjectMetadata and PartialObjectMetadataList documents.</summary>
public static class PartialObjectMetadata
{
    /// <summary>The metadata-only form of an object already parsed (one just written, say).</summary>
    public static JsonObject Of(JsonObject obj, ResponseShape shape)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return WithMetadata(obj["metadata"]?.DeepClone(), shape);
    }

    /// <summary>The metadata-only form of a stored object, parsing its metadata only.</summary>
    public static JsonObject Of(StoredObject stored, ResponseShape shape)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return WithMetadata(stored.MetadataCopy(), shape);
    }

    public static JsonObject ListOf(IEnumerable<StoredObject> items, ListPage page, ResponseShape shape)
    {
        ArgumentNullException.ThrowIfNull(page);
        var metadata = new JsonObject { ["resourceVersion"] = page.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (page.Continue is not null)
        {
            metadata["continue"] = page.Continue;
        }

        if (page.RemainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadataList",
            ["apiVersion"] = shape.MetaApiVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. items.Select(item => (JsonNode)Of(item, shape))]),
        };
    }

    /// <param name="metadata">A node with no parent, which the result takes.</param>
    private static JsonObject WithMetadata(JsonNode? metadata, ResponseShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = shape.MetaApiVersion,
            ["metadata"] = metadata ?? new JsonObject(),
        };
    }
}
