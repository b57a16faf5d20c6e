// The keys a request body repeats, worded as kube-apiserver's decoders word them. JSON names each repetition once
// (duplicate field "spec.replicas") whether it refuses or warns; YAML refuses with one grouped error
// (yaml: unmarshal errors: then one indented "line N: key "x" already set in map" each) but warns once per line.
namespace Operator.Emulator.Api;

/// <summary>Duplicate keys of a request body: as strict decoding errors (Strict) and as Warning texts (Warn).</summary>
public sealed record DuplicateKeys(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public static DuplicateKeys None { get; } = new([], []);

    /// <summary>The same repetitions named with a prefix, as kube-apiserver names those in a JSON patch's operations.</summary>
    public DuplicateKeys Prefixed(string prefix) => new([.. Errors.Select(e => prefix + e)], [.. Warnings.Select(w => prefix + w)]);
}
