namespace Operator.Runtime.Cache;

public enum CacheChangeType
{
    Added,
    Modified,
    Deleted,
}
