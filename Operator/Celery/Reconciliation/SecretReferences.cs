using Operator.Celery.Model;

namespace Operator.Celery.Reconciliation;

/// <summary>The Secret keys a resource references; the Secret cache is indexed by them.</summary>
public static class SecretReferences
{
    /// <summary>Name of the Celery cache index from "namespace/secret" to the resources referencing it.</summary>
    public const string IndexName = "referenced-secret";

    public static IEnumerable<SecretKeyReference> Of(CelerySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new[] { spec.Broker?.UrlSecretRef, spec.ResultBackend?.UrlSecretRef, spec.Flower?.BasicAuthSecretRef, spec.Flower?.BrokerApiSecretRef }
            .OfType<SecretKeyReference>();
    }

    /// <summary>Index values: "namespace/secret" for every referenced Secret.</summary>
    public static IEnumerable<string> IndexValues(CeleryResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Spec is null ? [] : Of(resource.Spec).Select(r => IndexValue(resource.Metadata.NamespaceProperty, r.Name)).Distinct(StringComparer.Ordinal);
    }

    public static string IndexValue(string? @namespace, string secret) => $"{@namespace}/{secret}";
}
