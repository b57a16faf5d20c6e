// The /scale subresource presents an object as an autoscaling/v1 Scale: spec.replicas and status.replicas read
// from the kind's replica paths, status.selector the label selector in its string form.
using System.Text.Json.Nodes;
using Operator.Emulator.Discovery;
using Operator.Emulator.Selectors;
using Operator.Emulator.Tables;

namespace Operator.Emulator.Api;

/// <summary>Maps objects to and from autoscaling/v1 Scale.</summary>
public static class ScaleView
{
    public static JsonObject From(ResourceType type, ScaleSubresource scale, JsonObject obj)
    {
        var status = new JsonObject { ["replicas"] = FirstValue(scale.StatusReplicasPath, obj) ?? 0 };
        if (scale.LabelSelectorPath is { } selectorPath && FirstValue(selectorPath, obj) is { } selector)
        {
            status["selector"] = selector is JsonObject structured ? LabelSelector.Format(structured) : JsonPathExpression.Render(selector);
        }

        var metadata = ObjectMetadata.Of(obj);
        var scaleMetadata = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (metadata[field] is { } value)
            {
                scaleMetadata[field] = value.DeepClone();
            }
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMetadata,
            ["spec"] = new JsonObject { ["replicas"] = FirstValue(scale.SpecReplicasPath, obj) ?? 0 },
            ["status"] = status,
        };
    }

    /// <summary>Sets a dotted path (".spec.replicas"), creating intermediate objects.</summary>
    public static void SetAt(JsonObject obj, string path, JsonNode value)
    {
        var names = path.TrimStart('.').Split('.');
        var current = obj;
        foreach (var name in names[..^1])
        {
            if (current[name] is not JsonObject next)
            {
                next = [];
                current[name] = next;
            }

            current = next;
        }

        current[names[^1]] = value;
    }

    private static JsonNode? FirstValue(string path, JsonObject obj) =>
        JsonPathExpression.Parse(path).Evaluate(obj).FirstOrDefault()?.DeepClone();
}
