// The broker of each resource, resolved from the Secrets it references without caching any Secret. Secrets are
// watched as metadata only; when a reconcile needs a resource's broker, the resourceVersion of each referenced
// Secret (or its absence) is read from that metadata cache, and only if that set, or the resource's generation,
// changed since the last resolution are the referenced Secrets read from the API, one GET each, and resolved
// again. Invariants: what is kept per resource is only what is derived (the parsed endpoint, the checksum and the
// problems found), never a Secret's data; a Secret the metadata cache does not know is missing without a request;
// a Secret deleted between the two reads is missing too.
using System.Collections.Concurrent;
using System.Globalization;
using k8s;
using k8s.Models;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Runtime;
using Operator.Runtime.Apply;
using Operator.Runtime.Cache;
using Operator.Runtime.Source;

namespace Operator.Celery.Reconciliation;

/// <summary>Resolves resources' brokers from the Secrets they reference, reading each referenced Secret only when it changed.</summary>
public sealed class BrokerSecrets(ObjectCache<PartialObjectMetadata> secretMetadata, ServerSideApplyClient client)
{
    private readonly ConcurrentDictionary<ObjectKey, Resolution> resolutions = new();

    /// <summary>How many times Secrets were read from the API; for tests and diagnostics.</summary>
    public int Reads => reads;

    private int reads;

    public async Task<(BrokerContext Broker, IReadOnlyList<ReconcileProblem> Problems)> ResolveAsync(CeleryResource resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var key = ObjectKeys.Of(resource);
        var names = SecretReferences.Of(resource.Spec).Select(r => r.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var versions = names.Select(name => secretMetadata.Get(new ObjectKey(key.Namespace, name))?.Metadata.ResourceVersion).ToList();
        var fingerprint = string.Join('\n', names.Zip(versions, (name, version) => $"{name}={version ?? "-"}").Prepend(resource.Metadata.Generation?.ToString(CultureInfo.InvariantCulture) ?? "0"));
        if (resolutions.TryGetValue(key, out var known) && known.Fingerprint == fingerprint)
        {
            return (known.Broker, known.Problems);
        }

        var secrets = new Dictionary<string, V1Secret?>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            secrets[names[i]] = versions[i] is null ? null : await ReadAsync(key.Namespace, names[i], cancellationToken).ConfigureAwait(false);
        }

        var (broker, problems) = BrokerResolver.Resolve(resource, name => secrets.GetValueOrDefault(name));
        resolutions[key] = new Resolution(fingerprint, broker, problems);
        return (broker, problems);
    }

    /// <summary>Drops what was derived for a resource that is gone.</summary>
    public void Forget(ObjectKey resource) => resolutions.TryRemove(resource, out _);

    private async Task<V1Secret?> ReadAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref reads);
        var json = await client.GetAsync(CeleryApiResources.Secrets, @namespace, name, cancellationToken).ConfigureAwait(false);
        return json is null ? null : KubernetesJson.Deserialize<V1Secret>(json.ToJsonString());
    }

    private sealed record Resolution(string Fingerprint, BrokerContext Broker, IReadOnlyList<ReconcileProblem> Problems);
}
