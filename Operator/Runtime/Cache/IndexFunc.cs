namespace Operator.Runtime.Cache;

/// <summary>Computes the values under which an object is indexed; an object may have none or many.</summary>
public delegate IEnumerable<string> IndexFunc<in T>(T obj);
