// A canonical text of a YAML value for semantic comparison: mappings with keys sorted, numbers in one
// notation (kustomize writes 2147483647 where the generator wrote 2147483647.0), everything else as written.
// Invariant: two YAML texts that decode to the same data have the same canonical form.
using System.Globalization;
using System.Text;
using YamlDotNet.Serialization;

namespace Operator.IntegrationTests.Packaging;

internal static class YamlCanonicalForm
{
    public static string Of(string yaml, params string[] path)
    {
        object? value = new DeserializerBuilder().Build().Deserialize<object>(yaml);
        foreach (var key in path)
        {
            value = value is Dictionary<object, object> map && map.TryGetValue(key, out var child)
                ? child
                : throw new KeyNotFoundException($"no '{key}' in the document");
        }

        var text = new StringBuilder();
        Write(value, text);
        return text.ToString();
    }

    private static void Write(object? value, StringBuilder text)
    {
        switch (value)
        {
            case Dictionary<object, object> map:
                text.Append('{');
                foreach (var (key, child) in map.Select(p => (Key: p.Key.ToString()!, p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append(key).Append(':');
                    Write(child, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case List<object> list:
                text.Append('[');
                foreach (var item in list)
                {
                    Write(item, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            case string scalar when decimal.TryParse(scalar, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                text.Append(number.ToString("G29", CultureInfo.InvariantCulture));
                break;
            default:
                text.Append('"').Append(value).Append('"');
                break;
        }
    }
}
