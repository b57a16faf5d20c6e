// Writes objects with server-side apply (PATCH application/apply-patch+yaml, one stable field manager,
// force=true so the operator's intent wins over a conflicting manager) and deletes with a uid precondition
// so only the exact object meant is ever deleted. Raw HTTP through RawApiClient, like the list/watch client, so errors (409, 422, 429 with Retry-After) arrive as exceptions
// carrying the status code.
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Operator.Runtime.Metrics;
using Operator.Runtime.Source;

namespace Operator.Runtime.Apply;

/// <summary>Server-side apply, status apply and precondition delete over raw HTTP.</summary>
public sealed class ServerSideApplyClient
{
    private const string ApplyPatchContentType = "application/apply-patch+yaml";
    private readonly RawApiClient api;

    public ServerSideApplyClient(Kubernetes kubernetes, string fieldManager, RuntimeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentException.ThrowIfNullOrEmpty(fieldManager);
        api = new RawApiClient(kubernetes, metrics);
        FieldManager = fieldManager;
    }

    /// <summary>The field manager every apply uses unless a call names another (as the hand-over does).</summary>
    public string FieldManager { get; }

    /// <summary>Applies <paramref name="desired"/> (apiVersion, kind, metadata.name/namespace set) and returns the live object.</summary>
    public Task<JsonObject> ApplyAsync(ResourceDescriptor resource, JsonObject desired, CancellationToken cancellationToken, string? fieldManager = null, bool force = true) =>
        PatchAsync(resource, desired, subresource: null, fieldManager ?? FieldManager, force, cancellationToken);

    /// <summary>Applies only the status of <paramref name="desired"/> through the /status subresource.</summary>
    public Task<JsonObject> ApplyStatusAsync(ResourceDescriptor resource, JsonObject desired, CancellationToken cancellationToken) =>
        PatchAsync(resource, desired, "status", FieldManager, force: true, cancellationToken);

    /// <summary>Reads one object; null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(ResourceDescriptor resource, string? @namespace, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        using var request = new HttpRequestMessage(HttpMethod.Get, ObjectUri(resource, @namespace, name, null, null));
        using var response = await SendAsync("GET", request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync("GET", resource, name, response, cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)) as JsonObject;
    }

    /// <summary>
    /// Deletes the object if it still has <paramref name="uid"/>; a missing object or a different one under the
    /// same name is left alone (false). Background propagation: its own dependents go with it.
    /// </summary>
    public async Task<bool> DeleteAsync(ResourceDescriptor resource, string? @namespace, string name, string uid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "DeleteOptions",
            ["propagationPolicy"] = "Background",
            ["preconditions"] = new JsonObject { ["uid"] = uid },
        };
        using var request = new HttpRequestMessage(HttpMethod.Delete, ObjectUri(resource, @namespace, name, null, null))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await SendAsync("DELETE", request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return false;
        }

        await EnsureSuccessAsync("DELETE", resource, name, response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<JsonObject> PatchAsync(ResourceDescriptor resource, JsonObject desired, string? subresource, string fieldManager, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(desired);
        var metadata = desired["metadata"] as JsonObject ?? throw new ArgumentException("object has no metadata", nameof(desired));
        var name = metadata["name"]?.GetValue<string>() ?? throw new ArgumentException("object has no name", nameof(desired));
        var @namespace = metadata["namespace"]?.GetValue<string>();
        var query = new Dictionary<string, string?> { ["fieldManager"] = fieldManager, ["force"] = force ? "true" : null };
        using var request = new HttpRequestMessage(HttpMethod.Patch, ObjectUri(resource, @namespace, name, subresource, query))
        {
            // JSON is YAML; sending JSON avoids a YAML serializer on the hot path.
            Content = new StringContent(desired.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ApplyPatchContentType);
        using var response = await SendAsync(subresource is null ? "APPLY" : "APPLY_STATUS", request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync("APPLY", resource, name, response, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(text) as JsonObject ?? throw new KubernetesApiException($"APPLY {resource} {name}: response is not an object");
    }

    private Uri ObjectUri(ResourceDescriptor resource, string? @namespace, string name, string? subresource, IEnumerable<KeyValuePair<string, string?>>? query) =>
        api.Uri($"{resource.CollectionPath(@namespace)}/{Uri.EscapeDataString(name)}{(subresource is null ? "" : "/" + subresource)}", query);

    private Task<HttpResponseMessage> SendAsync(string verb, HttpRequestMessage request, CancellationToken cancellationToken) =>
        api.SendAsync(verb, request, cancellationToken);

    private static async Task EnsureSuccessAsync(string verb, ResourceDescriptor resource, string name, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        // The message ends up in Events and status: only the Status message, bounded, without values the server quotes.
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new KubernetesApiException(response.StatusCode, $"{verb} {resource} {name} failed with {(int)response.StatusCode}: {ApiErrorMessage.From(body)}")
        {
            RetryAfter = RetryAfter(response),
        };
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta
        ?? (response.Headers.TryGetValues("Retry-After", out var values) && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null);
}
