// How an informer cuts each listed or watched object down before it is deserialized and cached. A watched
// Deployment is mostly its pod template and managedFields, which a controller that compares through
// fingerprints never reads; deserializing and keeping only what it reads makes the cache several times smaller
// and the initial list faster. Invariants: apiVersion, kind and metadata (without managedFields and kubectl's
// last-applied copy) are always kept, except labels and annotations a projection leaves out; a kept path keeps
// its whole value; decoded as a Fingerprinted<T>, the fingerprint of the fields the field manager applied is
// computed from the full object (before anything is dropped) and held beside the object, never in it; repeated
// metadata strings are shared through StringPool.Shared, and with ShareStrings every short string of the object;
// an annotation map left empty by KeepAnnotations is left out (read as absent), not kept as an empty dictionary.
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using k8s;
using Operator.Runtime.Apply;
using Operator.Runtime.Cache;

namespace Operator.Runtime.Source;

/// <summary>Which parts of an object an informer keeps.</summary>
public sealed record ObjectProjection
{
    // One reusable buffer per thread: every listed and watched object passes through Decode, which never awaits.
    [ThreadStatic]
    private static ReusableJsonBuffer? threadBuffer;

    // KubernetesClient's own serializer options (its converters for dates, quantities, int-or-string) plus one that
    // shares short strings; built on first use.
    private static readonly Lazy<JsonSerializerOptions> SharingOptions = new(CreateSharingOptions);

    private readonly IReadOnlyList<string>? keep;
    private List<string[]>? keptPaths;

    /// <summary>Dotted paths kept besides apiVersion, kind and metadata ("status", "spec.replicas"); null keeps everything.</summary>
    public IReadOnlyList<string>? Keep
    {
        get => keep;
        init
        {
            keep = value;
            keptPaths = value?.Select(p => p.Split('.')).ToList();
        }
    }

    /// <summary>The field manager whose applied fields a <see cref="Fingerprinted{T}"/> decode fingerprints; null for no fingerprint.</summary>
    public string? FieldManager { get; init; }

    /// <summary>Whether metadata.labels is kept (a label-filtered informer's reader seldom needs them).</summary>
    public bool KeepLabels { get; init; } = true;

    /// <summary>The annotations kept; null keeps all.</summary>
    public IReadOnlyList<string>? KeepAnnotations { get; init; }

    /// <summary>
    /// Whether the server is asked for metadata only (PartialObjectMetadata), as controller-runtime's metadata informers
    /// do: the body of each object never reaches the process. For kinds whose bodies are large or sensitive (Secrets)
    /// and of which only identity and resourceVersion are read; decode into <see cref="PartialObjectMetadata"/>.
    /// </summary>
    public bool RequestMetadataOnly { get; init; }

    /// <summary>
    /// Whether every string of the decoded object up to <see cref="SharedStringJsonConverter.MaxSharedLength"/>
    /// characters is shared through <see cref="StringPool.Shared"/>, not only the metadata strings that always are.
    /// For kinds kept whole whose specs and statuses repeat the same values across objects (custom resources).
    /// </summary>
    public bool ShareStrings { get; init; }

    /// <summary>
    /// Deserializes <paramref name="element"/> as <typeparamref name="T"/>, keeping only what this projection names; a
    /// <see cref="Fingerprinted{T}"/> also gets the fingerprint of the fields <see cref="FieldManager"/> applied.
    /// </summary>
    public T Decode<T>(JsonElement element) => Decoder<T>.Decode(this, element);

    private Fingerprinted<T> DecodeFingerprinted<T>(JsonElement element)
        where T : class, IKubernetesObject<k8s.Models.V1ObjectMeta>
    {
        var fingerprint = FieldManager is null || element.ValueKind != JsonValueKind.Object ? null : AppliedFieldsFingerprint.OfLive(element, FieldManager);
        return new Fingerprinted<T>(DecodeObject<T>(element), fingerprint);
    }

    private T DecodeObject<T>(JsonElement element)
    {
        var buffer = threadBuffer ??= new ReusableJsonBuffer();
        Write(buffer.Start(), element);
        MemoryMarshal.TryGetArray(buffer.Finish(), out var written);
        using var stream = new MemoryStream(written.Array!, written.Offset, written.Count, writable: false);
        var decoded = ShareStrings ? JsonSerializer.Deserialize<T>(stream, SharingOptions.Value)! : KubernetesJson.Deserialize<T>(stream);
        return decoded is IKubernetesObject<k8s.Models.V1ObjectMeta> obj ? (T)StringPool.Shared.ShareMetadata(obj) : decoded;
    }

    private void Write(Utf8JsonWriter writer, JsonElement obj)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            obj.WriteTo(writer);
            return;
        }

        var kept = keptPaths;
        writer.WriteStartObject();
        foreach (var property in obj.EnumerateObject())
        {
            switch (property.Name)
            {
                case "apiVersion":
                case "kind":
                    property.WriteTo(writer);
                    break;
                case "metadata":
                    writer.WritePropertyName(property.Name);
                    WriteMetadata(writer, property.Value);
                    break;
                default:
                    WriteKept(writer, property, kept, 0);
                    break;
            }
        }

        writer.WriteEndObject();
    }

    private void WriteMetadata(Utf8JsonWriter writer, JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            metadata.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var property in metadata.EnumerateObject())
        {
            if (property.NameEquals("managedFields") || (!KeepLabels && property.NameEquals("labels")))
            {
                continue;
            }

            if (property.NameEquals("annotations") && property.Value.ValueKind == JsonValueKind.Object)
            {
                WriteAnnotations(writer, property.Value);
                continue;
            }

            property.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    // Writes the kept annotations; nothing at all when none is kept, so the object reads as having none instead of
    // holding an empty dictionary (about 80 bytes for each of most cached children).
    private void WriteAnnotations(Utf8JsonWriter writer, JsonElement annotations)
    {
        var started = false;
        foreach (var annotation in annotations.EnumerateObject())
        {
            if (annotation.NameEquals(ObjectTransforms.LastAppliedAnnotation)
                || (KeepAnnotations is not null && !KeepAnnotations.Contains(annotation.Name)))
            {
                continue;
            }

            if (!started)
            {
                writer.WritePropertyName("annotations");
                writer.WriteStartObject();
                started = true;
            }

            annotation.WriteTo(writer);
        }

        if (started)
        {
            writer.WriteEndObject();
        }
    }

    private static JsonSerializerOptions CreateSharingOptions()
    {
        JsonSerializerOptions? kubernetes = null;
        KubernetesJson.AddJsonOptions(options => kubernetes = options);
        var sharing = new JsonSerializerOptions(kubernetes!);
        sharing.Converters.Add(new SharedStringJsonConverter(StringPool.Shared));
        return sharing;
    }

    // Writes the property when a kept path names it or something under it; for the latter, only those parts.
    private static void WriteKept(Utf8JsonWriter writer, JsonProperty property, List<string[]>? kept, int depth)
    {
        if (kept is null)
        {
            property.WriteTo(writer);
            return;
        }

        // Every property of every decoded object passes here: compare names in place, and allocate only for a match.
        List<string[]>? matching = null;
        foreach (var path in kept)
        {
            if (path.Length > depth && property.NameEquals(path[depth]))
            {
                (matching ??= []).Add(path);
            }
        }

        if (matching is null)
        {
            return;
        }

        if (matching.Any(path => path.Length == depth + 1) || property.Value.ValueKind != JsonValueKind.Object)
        {
            property.WriteTo(writer);
            return;
        }

        writer.WritePropertyName(property.Name);
        writer.WriteStartObject();
        foreach (var child in property.Value.EnumerateObject())
        {
            WriteKept(writer, child, matching, depth + 1);
        }

        writer.WriteEndObject();
    }

    // How Decode reads a T, chosen once per type: a Fingerprinted<TObject> as its object and the fingerprint beside
    // it, any other type as itself.
    private static class Decoder<T>
    {
        public static readonly Func<ObjectProjection, JsonElement, T> Decode = Create();

        private static Func<ObjectProjection, JsonElement, T> Create()
        {
            if (!typeof(T).IsGenericType || typeof(T).GetGenericTypeDefinition() != typeof(Fingerprinted<>))
            {
                return static (projection, element) => projection.DecodeObject<T>(element);
            }

            return typeof(ObjectProjection).GetMethod(nameof(DecodeFingerprinted), BindingFlags.NonPublic | BindingFlags.Instance)!
                .MakeGenericMethod(typeof(T).GetGenericArguments()[0])
                .CreateDelegate<Func<ObjectProjection, JsonElement, T>>();
        }
    }
}
