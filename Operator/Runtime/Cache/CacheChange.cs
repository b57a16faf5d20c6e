namespace Operator.Runtime.Cache;

/// <summary>
/// One change the cache applied. <see cref="Object"/> is the object now cached (for a deletion: the last state
/// known); <see cref="Previous"/> is the object it replaced, set only for <see cref="CacheChangeType.Modified"/>.
/// </summary>
public sealed record CacheChange<T>(CacheChangeType Type, T Object, T? Previous = null)
    where T : class;
