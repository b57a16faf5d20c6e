namespace Operator.Runtime.Cache;

/// <summary>
/// One change the cache applied. <see cref="Object"/> is the object now cached (for a deletion: the last state
/// known); <see cref="Previous"/> is the object it replaced, set only for <see cref="CacheChangeType.Modified"/>.
/// <see cref="IsInInitialList"/> marks the adds of the informer's first list, which no watched change caused.
/// </summary>
public sealed record CacheChange<T>(CacheChangeType Type, T Object, T? Previous = null, bool IsInInitialList = false)
    where T : class;
