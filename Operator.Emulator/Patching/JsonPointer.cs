// RFC 6901 JSON pointer. Invariants: "" is the whole document; every other pointer starts with "/"; "~1" reads as
// "/" and "~0" as "~" (in that order, so "~01" is "~1"); any other "~" escape is malformed (PatchException 400).
namespace Operator.Emulator.Patching;

internal sealed record JsonPointer(IReadOnlyList<string> Tokens)
{
    public bool IsRoot => Tokens.Count == 0;

    public string Last => Tokens[^1];

    public JsonPointer Parent => new(Tokens.Take(Tokens.Count - 1).ToArray());

    public static JsonPointer Parse(string text)
    {
        if (text.Length == 0)
        {
            return new JsonPointer([]);
        }

        if (text[0] != '/')
        {
            throw new PatchException($"json pointer \"{text}\" must start with \"/\"", 400);
        }

        var tokens = text[1..].Split('/').Select(token => Unescape(token, text)).ToArray();
        return new JsonPointer(tokens);
    }

    /// <summary>Whether this pointer names <paramref name="other"/> or something inside it.</summary>
    public bool IsWithin(JsonPointer other) =>
        Tokens.Count >= other.Tokens.Count && other.Tokens.Select((t, i) => t == Tokens[i]).All(same => same);

    /// <summary>Reads an array index token: digits without leading zeros, at most <paramref name="limit"/>.</summary>
    public static bool TryIndex(string token, int limit, out int index)
    {
        index = -1;
        var wellFormed = token.Length > 0 && token.All(char.IsAsciiDigit) && (token.Length == 1 || token[0] != '0');
        return wellFormed && int.TryParse(token, out index) && index <= limit;
    }

    public override string ToString() => string.Concat(Tokens.Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));

    private static string Unescape(string token, string pointer)
    {
        for (var i = token.IndexOf('~', StringComparison.Ordinal); i >= 0; i = token.IndexOf('~', i + 1))
        {
            if (i + 1 >= token.Length || token[i + 1] is not ('0' or '1'))
            {
                throw new PatchException($"json pointer \"{pointer}\" has an invalid escape", 400);
            }
        }

        return token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }
}
