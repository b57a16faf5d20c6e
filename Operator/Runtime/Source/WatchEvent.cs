using k8s;
using k8s.Models;

namespace Operator.Runtime.Source;

/// <summary>
/// One line of a watch stream. <see cref="Object"/> is set for ADDED, MODIFIED, DELETED and BOOKMARK (a bookmark
/// carries only metadata.resourceVersion); <see cref="Status"/> is set for ERROR.
/// </summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, V1Status? Status = null)
    where T : class;
