// Answers "does the API server serve this resource?" (for example KEDA's ScaledObject, whose CRD may be
// installed after the operator starts). Invariant: an answer is reused for at most CacheFor, so a resource
// installed later is seen within that time; a failed discovery call is an error, never a "no".
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Operator.Runtime.Source;

namespace Operator.Runtime.Discovery;

/// <summary>Cached API discovery of group/version resource lists.</summary>
public sealed class ApiDiscovery
{
    private readonly RawApiClient api;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, HashSet<string> Plurals)> answers = new(StringComparer.Ordinal);

    public ApiDiscovery(Kubernetes kubernetes, TimeSpan? cacheFor = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        api = new RawApiClient(kubernetes);
        CacheFor = cacheFor ?? TimeSpan.FromSeconds(30);
        time = timeProvider ?? TimeProvider.System;
    }

    public TimeSpan CacheFor { get; }

    public async Task<bool> IsServedAsync(ResourceDescriptor resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var groupVersion = resource.ApiVersion;
        var now = time.GetUtcNow();
        if (answers.TryGetValue(groupVersion, out var answer) && now - answer.At < CacheFor)
        {
            return answer.Plurals.Contains(resource.Plural);
        }

        var path = resource.Group.Length == 0 ? $"/api/{resource.Version}" : $"/apis/{resource.Group}/{resource.Version}";
        using var request = new HttpRequestMessage(HttpMethod.Get, api.Uri(path));
        using var response = await api.SendAsync("DISCOVERY", request, cancellationToken).ConfigureAwait(false);
        var plurals = new HashSet<string>(StringComparer.Ordinal);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new KubernetesApiException(response.StatusCode, $"discovery of {groupVersion} failed with {(int)response.StatusCode}");
            }

            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            foreach (var item in body?["resources"]?.AsArray() ?? [])
            {
                if (item?["name"]?.GetValue<string>() is { } name)
                {
                    plurals.Add(name);
                }
            }
        }

        answers[groupVersion] = (now, plurals);
        return plurals.Contains(resource.Plural);
    }
}
