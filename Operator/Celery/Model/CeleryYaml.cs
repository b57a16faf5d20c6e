using k8s;

namespace Operator.Celery.Model;

/// <summary>Reads Celery resources from (multi-document) YAML, skipping other kinds.</summary>
public static class CeleryYaml
{
    private static readonly Dictionary<string, Type> TypeMap = new(StringComparer.Ordinal)
    {
        [$"{CeleryResource.ApiVersionValue}/{CeleryResource.KindValue}"] = typeof(CeleryResource),
    };

    /// <exception cref="FormatException">The YAML is malformed or a document does not fit the model.</exception>
    public static IReadOnlyList<CeleryResource> LoadResources(string yaml)
    {
        try
        {
            return [.. KubernetesYaml.LoadAllFromString(yaml, TypeMap).OfType<CeleryResource>()];
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException(e.Message, e);
        }
    }
}
