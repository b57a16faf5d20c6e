// Converts one YAML document to JSON with YAML 1.2 core-schema typing of plain scalars: null/~, true/false,
// integers and floats become JSON values; quoted scalars always stay strings. JSON input is valid YAML.
using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Operator.Emulator.Api;

/// <summary>
/// Parses YAML request bodies (server-side apply). A key repeated in one mapping keeps its last value (as
/// kube-apiserver's lenient YAML decoding does) and is reported as its strict YAML decoding words it:
/// line N: key "x" already set in map, N being the line of the repeated key's value.
/// </summary>
public static class YamlDocument
{
    public static JsonNode? Parse(string text) => Decode(text).Node;

    public static DecodedBody Decode(string text)
    {
        var parser = new Parser(new StringReader(text));
        var errors = new List<string>();
        var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
            {
                return new DecodedBody(null, DuplicateKeys.None);
            }

            var node = ReadNode(parser, anchors, errors);
            return new DecodedBody(node, errors.Count == 0 ? DuplicateKeys.None : new DuplicateKeys([$"yaml: unmarshal errors:\n  {string.Join("\n  ", errors)}"], errors));
        }
        catch (YamlException error)
        {
            throw ApiException.BadRequest($"error converting YAML to JSON: {error.Message}");
        }
    }

    private static JsonNode? ReadNode(IParser parser, Dictionary<string, JsonNode?> anchors, List<string> errors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target?.DeepClone()
                : throw new YamlException(alias.Start, alias.End, $"unknown anchor '{alias.Value.Value}' referenced");
        }

        var start = parser.Current as NodeEvent ?? throw new YamlException(parser.Current!.Start, parser.Current.End, "expected a node");
        JsonNode? node;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            node = ScalarValue(scalar);
        }
        else if (parser.TryConsume<SequenceStart>(out _))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(parser, anchors, errors));
            }

            node = array;
        }
        else
        {
            parser.Consume<MappingStart>();
            var map = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>().Value;
                var valueLine = parser.Current!.Start.Line;
                var value = ReadNode(parser, anchors, errors);
                if (map.ContainsKey(key))
                {
                    errors.Add($"line {valueLine}: key \"{key}\" already set in map");
                }

                map[key] = value;
            }

            node = map;
        }

        if (!start.Anchor.IsEmpty)
        {
            anchors[start.Anchor.Value] = node;
        }

        return node;
    }

    private static JsonNode? ScalarValue(Scalar scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (System.Text.RegularExpressions.Regex.IsMatch(value, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }
}
