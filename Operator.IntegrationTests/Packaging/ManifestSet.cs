// A multi-document YAML stream (kubectl kustomize or helm template output, or a shipped file) read as
// Kubernetes objects. Invariants: every non-empty document has apiVersion and kind (else the load fails, naming
// the document); documents are kept in stream order; typed access deserializes with KubernetesYaml only the
// documents whose apiVersion and kind are the type's, so kinds KubernetesClient does not know (ServiceMonitor,
// PrometheusRule) can sit in the same stream.
using System.Reflection;
using System.Text.RegularExpressions;

namespace Operator.IntegrationTests.Packaging;

/// <summary>One document of a manifest stream.</summary>
internal sealed record ManifestDocument(string ApiVersion, string Kind, string Name, string? Namespace, string Yaml)
{
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}

/// <summary>The objects of a manifest stream.</summary>
internal sealed partial class ManifestSet
{
    private ManifestSet(IReadOnlyList<ManifestDocument> documents) => Documents = documents;

    public IReadOnlyList<ManifestDocument> Documents { get; }

    public static ManifestSet Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var documents = new List<ManifestDocument>();
        foreach (var text in DocumentSeparator().Split(yaml))
        {
            if (string.IsNullOrWhiteSpace(StripComments(text)))
            {
                continue;
            }

            var header = KubernetesYaml.Deserialize<Header>(text);
            if (string.IsNullOrEmpty(header?.ApiVersion) || string.IsNullOrEmpty(header.Kind))
            {
                throw new FormatException($"A manifest document has no apiVersion or kind:\n{text}");
            }

            documents.Add(new ManifestDocument(header.ApiVersion, header.Kind, header.Metadata?.Name ?? string.Empty, header.Metadata?.NamespaceProperty, text)
            {
                Labels = header.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>(),
            });
        }

        return new ManifestSet(documents);
    }

    public static ManifestSet Load(params string[] paths) =>
        Parse(string.Join("\n---\n", paths.Select(File.ReadAllText)));

    /// <summary>Every document of the type's apiVersion and kind, deserialized.</summary>
    public IReadOnlyList<T> Of<T>()
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} is not a Kubernetes entity type.", nameof(T));
        var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
        return [.. Documents.Where(d => d.Kind == entity.Kind && d.ApiVersion == apiVersion).Select(d => KubernetesYaml.Deserialize<T>(d.Yaml))];
    }

    /// <summary>The one document of that kind and name; fails the test otherwise.</summary>
    public ManifestDocument Single(string kind, string name)
    {
        var matches = Documents.Where(d => d.Kind == kind && d.Name == name).ToList();
        Assert.That(matches, Has.Count.EqualTo(1), $"expected exactly one {kind} {name}; have: {string.Join(", ", Documents)}");
        return matches[0];
    }

    public IReadOnlyList<string> Kinds => [.. Documents.Select(d => d.Kind)];

    private static string StripComments(string text) => string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));

    /// <summary>The fields every object has; the rest of the document is ignored.</summary>
    private sealed class Header : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public V1ObjectMeta Metadata { get; set; } = new();
    }

    [GeneratedRegex(@"^---[ \t]*(?:#.*)?$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
