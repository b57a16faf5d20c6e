// Grammar: comma-separated "path=value", "path==value" or "path!=value" terms. metadata.name and
// metadata.namespace are answered from the object's key; any other dotted path is looked up in the object
// (SelectableFields refuses, as kube-apiserver does, paths a kind does not support).
using System.Text.Json.Nodes;
using Operator.Emulator.Storage;
using Operator.Emulator.Tables;

namespace Operator.Emulator.Selectors;

/// <summary>A parsed field selector.</summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<Term> terms;

    private FieldSelector(IReadOnlyList<Term> terms) => this.terms = terms;

    private sealed record Term(string Path, string Value, bool Equal);

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => terms.Count == 0;

    /// <summary>True when matching needs the object's content, not just its key.</summary>
    public bool NeedsContent => terms.Any(term => term.Path is not ("metadata.name" or "metadata.namespace"));

    /// <summary>The field paths the selector names, in order.</summary>
    public IEnumerable<string> Paths => terms.Select(term => term.Path);

    /// <summary>The name the selector pins with metadata.name=..., if any.</summary>
    public string? RequiredName => terms.FirstOrDefault(term => term.Equal && term.Path == "metadata.name")?.Value;

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var parsed = new List<Term>();
        foreach (var part in text.Split(','))
        {
            var term = part.Trim();
            var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
            var doubleEqual = term.IndexOf("==", StringComparison.Ordinal);
            var equal = term.IndexOf('=', StringComparison.Ordinal);
            if (notEqual > 0)
            {
                parsed.Add(new Term(term[..notEqual].Trim(), term[(notEqual + 2)..].Trim(), false));
            }
            else if (doubleEqual > 0)
            {
                parsed.Add(new Term(term[..doubleEqual].Trim(), term[(doubleEqual + 2)..].Trim(), true));
            }
            else if (equal > 0)
            {
                parsed.Add(new Term(term[..equal].Trim(), term[(equal + 1)..].Trim(), true));
            }
            else
            {
                throw new SelectorException($"invalid selector: '{text}'; can't understand '{term}'");
            }
        }

        return new FieldSelector(parsed);
    }

    public bool Matches(StoredObject item)
    {
        JsonObject? content = null;
        foreach (var term in terms)
        {
            string? actual = term.Path switch
            {
                "metadata.name" => item.Key.Name,
                "metadata.namespace" => item.Key.Namespace,
                _ => ValueAt(content ??= item.ToJsonObject(), term.Path),
            };
            if ((actual == term.Value) != term.Equal)
            {
                return false;
            }
        }

        return true;
    }

    private static string ValueAt(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var name in path.Split('.'))
        {
            node = node is JsonObject map && map.TryGetPropertyValue(name, out var child) ? child : null;
        }

        return node is null ? string.Empty : JsonPathExpression.Render(node);
    }
}
