// Reads the broker URL from its Secret and parses it, and sums the referenced Secrets into the checksum that
// rolls pods on rotation. Invariant: neither problems nor logs ever carry a Secret's value; messages name the
// Secret and key only.
using System.Text;
using k8s.Models;
using Operator.Celery.Broker;
using Operator.Celery.Builders;
using Operator.Celery.Model;

namespace Operator.Celery.Reconciliation;

/// <summary>Resolves a resource's broker from the Secret cache.</summary>
public static class BrokerResolver
{
    public static (BrokerContext Broker, IReadOnlyList<ReconcileProblem> Problems) Resolve(CeleryResource resource, Func<string, V1Secret?> secretByName)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(secretByName);
        var problems = new List<ReconcileProblem>();
        var entries = new List<(string, string, byte[])>();
        foreach (var reference in SecretReferences.Of(resource.Spec).DistinctBy(r => (r.Name, r.Key)))
        {
            if (Value(secretByName(reference.Name), reference) is { } value)
            {
                entries.Add((reference.Name, reference.Key, value));
            }
            else
            {
                problems.Add(Missing(FieldOf(resource.Spec, reference), reference, secretByName(reference.Name) is null));
            }
        }

        var checksum = entries.Count > 0 ? SecretChecksum.Compute(entries) : null;
        var broker = resource.Spec.Broker;
        string? url;
        if (broker.UrlSecretRef is { } brokerRef)
        {
            var bytes = Value(secretByName(brokerRef.Name), brokerRef);
            if (bytes is null)
            {
                return (new BrokerContext(null, checksum), problems);
            }

            url = Encoding.UTF8.GetString(bytes);
        }
        else
        {
            // SQS on the pod's identity: no URL Secret, no credentials.
            url = "sqs://";
        }

        var parsed = BrokerUrlParser.Parse(broker.Type, url);
        if (!parsed.Succeeded)
        {
            problems.Add(new ReconcileProblem(CeleryConditions.Reasons.BrokerUrlInvalid,
                $"spec.broker.urlSecretRef: the URL in Secret {broker.UrlSecretRef?.Name} key {broker.UrlSecretRef?.Key} is invalid: {parsed.Error}", Terminal: false));
            return (new BrokerContext(null, checksum), problems);
        }

        // SQS queues are not in the URL: the region and queue URL prefix come from spec.broker.sqs.
        var endpoint = parsed.Endpoint!.Kind == BrokerKind.Sqs && broker.Sqs is { } sqs
            ? parsed.Endpoint with { Region = sqs.Region, QueueUrlPrefix = sqs.QueueUrlPrefix }
            : parsed.Endpoint;
        return (new BrokerContext(endpoint, checksum), problems);
    }

    private static byte[]? Value(V1Secret? secret, SecretKeyReference reference)
    {
        if (secret is null)
        {
            return null;
        }

        // The API server merges stringData into data on write: a Secret read back never carries stringData.
        return secret.Data?.TryGetValue(reference.Key, out var data) == true ? data : null;
    }

    // The message names the field first, like every other finding on the resource's conditions.
    private static ReconcileProblem Missing(string field, SecretKeyReference reference, bool secretMissing) => new(
        CeleryConditions.Reasons.BrokerSecretMissing,
        secretMissing ? $"{field}: Secret {reference.Name} not found" : $"{field}: Secret {reference.Name} has no key {reference.Key}",
        Terminal: false);

    private static string FieldOf(CelerySpec spec, SecretKeyReference reference) =>
        ReferenceEquals(reference, spec.Broker?.UrlSecretRef) ? "spec.broker.urlSecretRef"
        : ReferenceEquals(reference, spec.ResultBackend?.UrlSecretRef) ? "spec.resultBackend.urlSecretRef"
        : ReferenceEquals(reference, spec.Flower?.BasicAuthSecretRef) ? "spec.flower.basicAuthSecretRef"
        : "spec.flower.brokerApiSecretRef";
}
