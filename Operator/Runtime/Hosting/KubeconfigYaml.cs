// Reads one kubeconfig file into KubernetesClient's model (K8SConfiguration) with a YAML deserializer built for the
// kubeconfig types alone. KubernetesClient's own loader goes through KubernetesYaml, whose first use builds two
// deserializers and a serializer, each mapping the JSON names of every property of every API model type, and a map
// of every model kind: about 0.2 s of CPU before the first request (measured with the informer-peer benchmark,
// docs/benchmarks.md), for a file whose types carry their YAML names themselves. Invariants: the same YAML
// conventions as that loader (camelCase names, unknown keys ignored, merge keys, unquoted scalars of untyped values
// read as their type); FileName set to the file's full path, as that loader sets it for relative paths.
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Operator.Runtime.Hosting;

/// <summary>Deserializes kubeconfig files.</summary>
public static class KubeconfigYaml
{
    private static readonly Lazy<IDeserializer> Deserializer = new(() => new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithAttemptingUnquotedStringTypeDeserialization()
        .IgnoreUnmatchedProperties()
        .Build());

    /// <summary>The kubeconfig at <paramref name="path"/>; null when the file holds no document.</summary>
    /// <exception cref="YamlException">The file is not a kubeconfig in YAML.</exception>
    public static K8SConfiguration? Read(string path)
    {
        using var reader = new StreamReader(path);
        var configuration = Deserializer.Value.Deserialize<K8SConfiguration?>(new MergingParser(new Parser(reader)));
        if (configuration is not null)
        {
            configuration.FileName = Path.GetFullPath(path);
        }

        return configuration;
    }
}
