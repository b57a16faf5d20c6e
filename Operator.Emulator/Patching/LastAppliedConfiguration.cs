// kubectl's move from client-side to server-side apply, as kube-apiserver supports it for the field manager
// "kubectl" only (lastAppliedManager and lastAppliedUpdater in its field manager):
// - An apply by "kubectl" whose conflicts are all on fields the object's last-applied-configuration annotation holds,
//   with the values the object still has, is forced: the client-side applier's fields pass to kubectl.
// - After an apply by "kubectl", an existing annotation is rewritten to the configuration just applied (without the
//   annotation itself), encoded as Go encodes it: compact JSON, keys sorted, a trailing newline.
// Invariants: other managers are never affected; an object without the annotation never gains one.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

internal static class LastAppliedConfiguration
{
    public const string Annotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>The only field manager kube-apiserver upgrades client-side apply for.</summary>
    public const string KubectlManager = "kubectl";

    /// <summary>
    /// The conflicts the annotation does not excuse: those on fields it does not hold, or whose live value differs
    /// from what it holds. All of <paramref name="conflicts"/> when there is no readable annotation.
    /// </summary>
    public static IReadOnlyList<FieldConflict> Unexcused(JsonObject live, IReadOnlyList<FieldConflict> conflicts, TypeSchema schema)
    {
        if (Read(live) is not { } lastApplied)
        {
            return conflicts;
        }

        var diff = ObjectDiff.Between(lastApplied, live, schema);
        var unchanged = FieldSetExtractor.Extract(lastApplied, schema).Difference(diff.Modified).Difference(diff.Removed);
        var excused = unchanged.Members().Select(PathElement.Describe).ToHashSet(StringComparer.Ordinal);
        return [.. conflicts.Where(conflict => !excused.Contains(conflict.Path))];
    }

    /// <summary>Rewrites an existing annotation of <paramref name="result"/> to <paramref name="applied"/>.</summary>
    public static void Refresh(JsonObject result, JsonObject applied)
    {
        if (result["metadata"]?["annotations"] is not JsonObject annotations
            || annotations[Annotation] is not JsonValue current || !current.TryGetValue<string>(out var text) || text.Length == 0)
        {
            return;
        }

        var configuration = applied.DeepClone().AsObject();
        if (configuration["metadata"]?["annotations"] is JsonObject own)
        {
            own.Remove(Annotation);
        }

        annotations[Annotation] = GoJson(configuration) + "\n";
    }

    private static JsonObject? Read(JsonObject live)
    {
        if (live["metadata"]?["annotations"]?[Annotation] is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>JSON as Go's encoding/json writes a map: keys sorted by their bytes, no spaces, HTML characters escaped.</summary>
    private static string GoJson(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (name, value) in obj.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    text.Append(first ? "" : ",").Append(GoString(name)).Append(':');
                    Write(value, text);
                    first = false;
                }

                text.Append('}');
                break;
            case JsonArray list:
                text.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    Write(list[i], text);
                }

                text.Append(']');
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                text.Append(GoString(value.GetValue<string>()));
                break;
            case null:
                text.Append("null");
                break;
            default:
                text.Append(node.ToJsonString());
                break;
        }
    }

    private static string GoString(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '<' or '>' or '&' or '\u2028' or '\u2029' => $"\\u{(int)c:x4}",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }
}
