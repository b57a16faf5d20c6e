// The metadata-only forms of objects and lists (meta.k8s.io PartialObjectMetadata and PartialObjectMetadataList) that
// kube-apiserver returns to clients that ask for them, such as controller-runtime's metadata informers and
// `kubectl get -o name`: the object's whole metadata and nothing else, each item typed as PartialObjectMetadata.
using System.Globalization;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Api;

/// <summary>Builds PartialObjectMetadata and PartialObjectMetadataList documents.</summary>
public static class PartialObjectMetadata
{
    public static JsonObject Of(JsonObject obj, ResponseShape shape)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(shape);
        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = shape.MetaApiVersion,
            ["metadata"] = obj["metadata"]?.DeepClone() ?? new JsonObject(),
        };
    }

    public static JsonObject ListOf(IEnumerable<JsonObject> items, ListPage page, ResponseShape shape)
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
}
