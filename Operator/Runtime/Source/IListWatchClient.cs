using k8s;
using k8s.Models;

namespace Operator.Runtime.Source;

/// <summary>The two calls an informer makes: a complete list and a watch from a resourceVersion.</summary>
public interface IListWatchClient
{
    /// <summary>Lists everything in <paramref name="target"/>, following continue tokens.</summary>
    Task<ObjectList<T>> ListAsync<T>(ListWatchTarget target, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Streams changes after <paramref name="resourceVersion"/> until the server ends the stream (at
    /// <paramref name="timeout"/>) or <paramref name="cancellationToken"/> fires. Throws
    /// <see cref="KubernetesApiException"/> for an HTTP error status; ERROR events are yielded, not thrown.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ListWatchTarget target, string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}
