// One step of a managed-field path, in its FieldsV1 encoding: "f:<field>", "k:<key fields as JSON>" for an item
// of a map list, "v:<value as JSON>" for an item of a set, "i:<index>" for an item of a list without identity.
// Invariants: two elements naming the same thing encode to the same text (key fields sorted by name, numbers
// written without fractional zeros), so Encoded is the identity used for equality and ordering.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

internal readonly record struct PathElement(string Encoded)
{
    public const string ItemSelf = ".";

    public bool IsField => Encoded.StartsWith("f:", StringComparison.Ordinal);

    public bool IsKey => Encoded.StartsWith("k:", StringComparison.Ordinal);

    public string FieldName => IsField ? Encoded[2..] : throw new InvalidOperationException($"{Encoded} is not a field");

    public static PathElement Field(string name) => new("f:" + name);

    public static PathElement Key(JsonObject keyFields)
    {
        var sorted = new JsonObject();
        foreach (var (name, value) in keyFields.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sorted[name] = Canonical(value);
        }

        return new("k:" + sorted.ToJsonString());
    }

    public static PathElement Value(JsonNode? value) => new("v:" + (Canonical(value)?.ToJsonString() ?? "null"));

    public static PathElement Index(int index) => new("i:" + index.ToString(CultureInfo.InvariantCulture));

    public static bool IsWellFormed(string encoded) =>
        encoded.Length > 2 && encoded[1] == ':' && encoded[0] is 'f' or 'k' or 'v' or 'i';

    /// <summary>The path syntax kube-apiserver uses in conflict messages: .field, [key="x",port=80], [="value"], [0].</summary>
    public string Describe() => Encoded[0] switch
    {
        'f' => "." + Encoded[2..],
        'k' => "[" + string.Join(",", ((JsonObject)JsonNode.Parse(Encoded[2..])!).Select(p => $"{p.Key}={JsonValueText.Format(p.Value)}")) + "]",
        'v' => "[=" + Encoded[2..] + "]",
        _ => "[" + Encoded[2..] + "]",
    };

    public static string Describe(IEnumerable<PathElement> path)
    {
        var text = new StringBuilder();
        foreach (var element in path)
        {
            text.Append(element.Describe());
        }

        return text.ToString();
    }

    public override string ToString() => Encoded;

    private static JsonNode? Canonical(JsonNode? value) => value switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        _ when JsonNumber.TryRead(value, out var number) => JsonNode.Parse(number == decimal.Truncate(number)
            ? decimal.Truncate(number).ToString(CultureInfo.InvariantCulture)
            : number.ToString(CultureInfo.InvariantCulture)),
        _ => value.DeepClone(),
    };
}
