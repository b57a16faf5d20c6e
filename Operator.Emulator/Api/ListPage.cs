using Operator.Emulator.Storage;

namespace Operator.Emulator.Api;

/// <summary>One page of a list, with the resourceVersion the list is consistent with.</summary>
public sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);
