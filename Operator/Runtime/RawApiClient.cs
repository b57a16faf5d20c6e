// The one way the runtime sends a request to the API server on raw HTTP (list, watch, apply, get, delete,
// discovery): through KubernetesClient's own HttpClient, base address and credentials, so TLS, tokens and exec
// plugins behave exactly as for the typed client, while a status code, a streamed body and a Retry-After stay
// visible to the caller. Invariants: every request asks for JSON (after any more specific type the caller asked for
// first); every response is counted by verb and status code when metrics are given; the response is the caller's
// to dispose and to check.
using System.Text;
using k8s;
using Operator.Runtime.Metrics;

namespace Operator.Runtime;

/// <summary>Builds request URIs and sends requests to the API server.</summary>
public sealed class RawApiClient
{
    private readonly Kubernetes kubernetes;
    private readonly RuntimeMetrics? metrics;

    public RawApiClient(Kubernetes kubernetes, RuntimeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        this.kubernetes = kubernetes;
        this.metrics = metrics;
    }

    /// <summary>The URI of <paramref name="path"/> (starting with '/') under the server's base address, with the non-empty query values escaped.</summary>
    public Uri Uri(string path, IEnumerable<KeyValuePair<string, string?>>? query = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var builder = new StringBuilder(kubernetes.BaseUri.ToString().TrimEnd('/')).Append(path);
        var separator = '?';
        foreach (var (name, value) in query ?? [])
        {
            if (!string.IsNullOrEmpty(value))
            {
                builder.Append(separator).Append(name).Append('=').Append(System.Uri.EscapeDataString(value));
                separator = '&';
            }
        }

        return new Uri(builder.ToString());
    }

    /// <param name="verb">What the request is, for metrics: LIST, WATCH, GET, APPLY, APPLY_STATUS, DELETE, DISCOVERY.</param>
    public async Task<HttpResponseMessage> SendAsync(string verb, HttpRequestMessage request, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Accept.ParseAdd("application/json");
        if (kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await kubernetes.HttpClient.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        metrics?.ApiRequest(verb, (int)response.StatusCode);
        return response;
    }
}
