// The schemas the OpenAPI documents publish, one per served kind, found by kubectl (explain) through their
// x-kubernetes-group-version-kind extension: a custom resource's is its CRD's openAPIV3Schema (descriptions kept), with
// apiVersion, kind and metadata declared as kube-apiserver adds them; a built-in kind's is derived from the emulator's
// own schema of it, so it declares what the emulator models (types, lists, maps, enums, required fields) without
// descriptions.
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Discovery;

/// <summary>OpenAPI schemas of served kinds.</summary>
public sealed class OpenApiSchemas(Func<ResourceType, JsonObject?> customSchema, Func<SchemaRegistry> builtInSchemas)
{
    private const int MaximumDepth = 16;

    /// <summary>The name kube-apiserver gives the kind's definition (e.g. io.k8s.api.apps.v1.Deployment, org.celeryproject.v1alpha1.Celery).</summary>
    public static string Name(ResourceType type)
    {
        if (type.IsCustom)
        {
            return $"{string.Join('.', type.Group.Split('.').Reverse())}.{type.Version}.{type.Kind}";
        }

        var group = type.Group.Length == 0 ? "core" : type.Group.Split('.')[0];
        return group == "apiextensions"
            ? $"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.{type.Version}.{type.Kind}"
            : $"io.k8s.api.{group}.{type.Version}.{type.Kind}";
    }

    /// <summary>The kind's schema with its group-version-kind extension, or null when none is known.</summary>
    public JsonObject? For(ResourceType type)
    {
        // A kind the emulator has no schema for is still listed, as an open object: kubectl validates each kind
        // against the v3 document of its group-version and, for a kind missing there, falls back to /openapi/v2,
        // which the emulator has only as JSON (kubectl asks for protobuf) and so fails the whole apply.
        var schema = (type.IsCustom ? Custom(type) : FromTypeSchema(builtInSchemas().Get(type.Group, type.Version, type.Kind), 0))
            ?? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };

        schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = type.Group, ["kind"] = type.Kind, ["version"] = type.Version });
        return schema;
    }

    private JsonObject? Custom(ResourceType type)
    {
        if (customSchema(type) is not { } declared)
        {
            return null;
        }

        var schema = declared.DeepClone().AsObject();
        var properties = schema["properties"] as JsonObject ?? [];
        schema["properties"] = properties;
        properties["apiVersion"] = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "APIVersion defines the versioned schema of this representation of an object.",
        };
        properties["kind"] = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "Kind is a string value representing the REST resource this object represents.",
        };
        properties["metadata"] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        };
        return schema;
    }

    private static JsonObject FromTypeSchema(TypeSchema schema, int depth)
    {
        var result = new JsonObject();
        if (schema.IntOrString)
        {
            result["x-kubernetes-int-or-string"] = true;
        }
        else if (schema.Type is { } type)
        {
            result["type"] = type;
        }

        if (schema.Format is { } format)
        {
            result["format"] = format;
        }

        if (schema.Enum is { } values)
        {
            result["enum"] = new JsonArray([.. values.Select(value => value?.DeepClone())]);
        }

        if (depth >= MaximumDepth)
        {
            return result;
        }

        if (schema.Properties.Count > 0)
        {
            result["type"] ??= "object";
            result["properties"] = new JsonObject(schema.Properties.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)FromTypeSchema(pair.Value, depth + 1))));
        }

        if (schema.AdditionalProperties is { } entries)
        {
            result["type"] ??= "object";
            result["additionalProperties"] = FromTypeSchema(entries, depth + 1);
        }

        if (schema.Items is { } items)
        {
            result["type"] ??= "array";
            result["items"] = FromTypeSchema(items, depth + 1);
            if (schema.ListType != ListType.Atomic)
            {
                result["x-kubernetes-list-type"] = schema.ListType == ListType.Map ? "map" : "set";
            }

            if (schema.ListMapKeys.Count > 0)
            {
                result["x-kubernetes-list-map-keys"] = new JsonArray([.. schema.ListMapKeys.Select(key => (JsonNode?)key)]);
            }
        }

        if (schema.Required.Count > 0)
        {
            result["required"] = new JsonArray([.. schema.Required.Select(name => (JsonNode?)name)]);
        }

        if (schema.MapType == MapType.Atomic)
        {
            result["x-kubernetes-map-type"] = "atomic";
        }

        return result;
    }
}
