// What of an API error answer may be repeated in an Event, a status condition or a log: the Status object's
// message, bounded, with every value the server quotes back (`Invalid value: "..."`, `Unsupported value: "..."`,
// `Duplicate value: "..."`, `Forbidden value: "..."`) replaced, because an API server quotes the submitted value,
// which for a Secret is its data and for a pod template may be a credential in an environment variable. A body that
// is not a Status (a proxy's HTML page, say) is never repeated: only its size is. Invariant: the result never contains
// more than MaxLength characters of what the server sent, and no quoted value.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Operator.Runtime.Apply;

/// <summary>Turns an API error body into a message safe to show in Events and status.</summary>
public static partial class ApiErrorMessage
{
    public const int MaxLength = 512;

    public static string From(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        string? message;
        try
        {
            message = JsonNode.Parse(body) is JsonObject status && status["message"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        }
        catch (System.Text.Json.JsonException)
        {
            message = null;
        }

        if (message is null)
        {
            return $"the API answered with a body that is not a Status ({body.Length} characters, not shown)";
        }

        var redacted = QuotedValue().Replace(message, match => $"{match.Groups["kind"].Value} value: \"<redacted>\"");
        return redacted.Length <= MaxLength ? redacted : redacted[..MaxLength] + "…";
    }

    // A value the server echoes, quoted as Go's %q quotes it (inner quotes and backslashes escaped).
    [GeneratedRegex(@"(?<kind>Invalid|Unsupported|Duplicate|Forbidden|Required) value: ""(?:[^""\\]|\\.)*""", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex QuotedValue();
}
