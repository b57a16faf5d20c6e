// Requests sent as bytes through a session's authenticated client, for what KubernetesClient's typed calls hide:
// the exact status code and Status body of a failure, and the Warning headers kubectl prints.
using System.Net.Http.Headers;
using System.Text;

namespace Operator.IntegrationTests.Emulator;

/// <summary>One answer: its status code, its JSON body (null when empty or not JSON) and its Warning header texts.</summary>
internal sealed record RawResponse(int StatusCode, JsonNode? Body, IReadOnlyList<string> Warnings)
{
    /// <summary>The message of a Status body ("" when there is none).</summary>
    public string Message => Body?["message"]?.GetValue<string>() ?? string.Empty;

    /// <summary>The reason of a Status body ("" when there is none).</summary>
    public string Reason => Body?["reason"]?.GetValue<string>() ?? string.Empty;
}

internal static class RawApi
{
    public const string ApplyPatch = "application/apply-patch+yaml";
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";

    public static async Task<RawResponse> SendAsync(Kubernetes client, HttpMethod method, string pathAndQuery, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(client.BaseUri, pathAndQuery));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await client.HttpClient.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            json = null;
        }

        var warnings = response.Headers.TryGetValues("Warning", out var values) ? values.Select(WarningText).ToList() : [];
        return new RawResponse((int)response.StatusCode, json, warnings);
    }

    /// <summary>The text of an RFC 7234 warning value as Kubernetes sends it: 299 - "text".</summary>
    private static string WarningText(string header)
    {
        var start = header.IndexOf('"', StringComparison.Ordinal);
        var end = header.LastIndexOf('"');
        return start >= 0 && end > start ? header[(start + 1)..end].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : header;
    }
}
