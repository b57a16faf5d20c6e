// What an owned kind's cache holds: the projected object beside the fingerprint of the fields the operator applied
// to it (AppliedFieldsFingerprint), computed from the full object before the projection dropped anything. The
// fingerprint is not part of the object: the object stays as the API server sent it (less what the projection left
// out), and nothing in its metadata is invented. Identity, labels and owner references are the object's own, so the
// cache's indexes and the event handlers read a Fingerprinted<T> as they read a T.
using k8s;
using k8s.Models;
using Operator.Runtime.Apply;
using Operator.Runtime.Source;

namespace Operator.Runtime.Cache;

/// <summary>A cached object and the fingerprint of the fields one field manager applied to it.</summary>
public interface IFingerprinted
{
    /// <summary>The object as projected.</summary>
    IKubernetesObject<V1ObjectMeta> Object { get; }

    /// <summary>The fingerprint of the fields the projection's field manager applied; null when it applied none.</summary>
    FieldsFingerprint? AppliedFingerprint { get; }
}

/// <summary>
/// A <typeparamref name="T"/> as an owned kind's informer decodes it through an <see cref="ObjectProjection"/> with a
/// field manager; its metadata, apiVersion and kind are <see cref="Object"/>'s.
/// </summary>
public sealed record Fingerprinted<T>(T Object, FieldsFingerprint? AppliedFingerprint) : IFingerprinted, IKubernetesObject<V1ObjectMeta>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    IKubernetesObject<V1ObjectMeta> IFingerprinted.Object => Object;

    public V1ObjectMeta Metadata
    {
        get => Object.Metadata;
        set => Object.Metadata = value;
    }

    public string ApiVersion
    {
        get => Object.ApiVersion;
        set => Object.ApiVersion = value;
    }

    public string Kind
    {
        get => Object.Kind;
        set => Object.Kind = value;
    }
}
