// Supports the JSONPath subset printer columns and scale subresource paths use: dotted fields (".a.b"),
// indexes ("[0]"), wildcards ("[*]", ".*"), and equality filters ("[?(@.type=="Ready")]", also on nested
// fields and with single quotes). Several results are joined with "," as kubectl does.
using System.Text;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Tables;

/// <summary>A parsed JSONPath expression (optionally wrapped in "{...}").</summary>
public sealed class JsonPathExpression
{
    private readonly IReadOnlyList<Step> steps;

    private JsonPathExpression(IReadOnlyList<Step> steps) => this.steps = steps;

    private abstract record Step;

    private sealed record FieldStep(string Name) : Step;

    private sealed record IndexStep(int Index) : Step;

    private sealed record WildcardStep : Step;

    private sealed record FilterStep(string[] Path, string Expected) : Step;

    public static JsonPathExpression Parse(string expression)
    {
        var text = expression.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1];
        }

        if (text.StartsWith('$'))
        {
            text = text[1..];
        }

        var parsed = new List<Step>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                i++;
                var startOfName = i;
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    i++;
                }

                var name = text[startOfName..i];
                parsed.Add(name == "*" ? new WildcardStep() : new FieldStep(name));
            }
            else if (text[i] == '[')
            {
                var close = FindClosingBracket(text, i);
                var inner = text[(i + 1)..close].Trim();
                parsed.Add(ParseBracket(inner, expression));
                i = close + 1;
            }
            else
            {
                var startOfName = i;
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    i++;
                }

                parsed.Add(new FieldStep(text[startOfName..i]));
            }
        }

        return new JsonPathExpression(parsed);
    }

    /// <summary>Every value the path selects.</summary>
    public IReadOnlyList<JsonNode?> Evaluate(JsonNode? root)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var step in steps)
        {
            current = current.SelectMany(node => Apply(step, node)).ToList();
        }

        return current.ToList();
    }

    /// <summary>The value of a table cell: the single result, or the results joined by commas.</summary>
    public JsonNode? EvaluateCell(JsonObject obj)
    {
        var results = Evaluate(obj).Where(node => node is not null).ToList();
        return results.Count switch
        {
            0 => null,
            1 => results[0]!.DeepClone(),
            _ => JsonValue.Create(string.Join(",", results.Select(Render))),
        };
    }

    /// <summary>Renders a value as kubectl prints it: strings bare, everything else as JSON.</summary>
    public static string Render(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    private static IEnumerable<JsonNode?> Apply(Step step, JsonNode? node) => step switch
    {
        FieldStep field => node is JsonObject obj && obj.TryGetPropertyValue(field.Name, out var child) ? [child] : [],
        IndexStep index => node is JsonArray array ? At(array, index.Index) : [],
        WildcardStep => node switch
        {
            JsonArray array => array,
            JsonObject obj => obj.Select(pair => pair.Value),
            _ => [],
        },
        FilterStep filter => node is JsonArray array ? array.Where(item => Render(Walk(item, filter.Path)) == filter.Expected && Walk(item, filter.Path) is not null) : [],
        _ => [],
    };

    private static IEnumerable<JsonNode?> At(JsonArray array, int index)
    {
        var position = index < 0 ? array.Count + index : index;
        return position >= 0 && position < array.Count ? [array[position]] : [];
    }

    private static JsonNode? Walk(JsonNode? node, string[] path)
    {
        foreach (var name in path)
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(name, out var child) ? child : null;
        }

        return node;
    }

    private static Step ParseBracket(string inner, string expression)
    {
        if (inner == "*")
        {
            return new WildcardStep();
        }

        if (int.TryParse(inner, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            return new IndexStep(index);
        }

        if ((inner.StartsWith('\'') && inner.EndsWith('\'')) || (inner.StartsWith('"') && inner.EndsWith('"')))
        {
            return new FieldStep(inner[1..^1]);
        }

        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            var condition = inner[2..^1];
            var equals = condition.IndexOf("==", StringComparison.Ordinal);
            if (equals > 0)
            {
                var left = condition[..equals].Trim();
                var right = condition[(equals + 2)..].Trim();
                if (left.StartsWith("@.", StringComparison.Ordinal))
                {
                    return new FilterStep(left[2..].Split('.'), Unquote(right));
                }
            }
        }

        throw new FormatException($"Unsupported JSONPath expression: {expression}");
    }

    private static string Unquote(string literal) =>
        literal.Length >= 2 && (literal[0] == '"' || literal[0] == '\'') && literal[^1] == literal[0]
            ? literal[1..^1]
            : literal;

    private static int FindClosingBracket(string text, int open)
    {
        var depth = 0;
        char? quote = null;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '[')
            {
                depth++;
            }
            else if (c == ']' && --depth == 0)
            {
                return i;
            }
        }

        throw new FormatException($"Unbalanced brackets in JSONPath expression: {text}");
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var step in steps)
        {
            text.Append(step switch
            {
                FieldStep field => "." + field.Name,
                IndexStep index => $"[{index.Index}]",
                WildcardStep => "[*]",
                FilterStep filter => $"[?(@.{string.Join('.', filter.Path)}==\"{filter.Expected}\")]",
                _ => string.Empty,
            });
        }

        return text.ToString();
    }
}
