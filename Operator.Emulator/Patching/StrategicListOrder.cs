// The order of a list after a strategic merge patch, as kube-apiserver's strategicpatch (normalizeElementOrder)
// leaves it: the items the patch names keep the patch's order, the items only the server had keep theirs, and the
// two are interleaved by the server's order where both had an item; an item only the patch has goes before the
// server-only items still to place (so a new container comes first). Items are told apart by their identity: the
// merge key's value in a map list, the value itself in a set.
using System.Text.Json.Nodes;

namespace Operator.Emulator.Patching;

internal static class StrategicListOrder
{
    /// <summary>Reorders <paramref name="merged"/> in place.</summary>
    /// <param name="original">Identities of the list's items before the patch, in order.</param>
    /// <param name="patched">Identities of the items the patch names, in the patch's order.</param>
    public static void Normalize(JsonArray merged, IReadOnlyList<string> original, IReadOnlyList<string> patched, Func<JsonNode?, string> identity)
    {
        var items = merged.Select(item => (Id: identity(item), Item: item)).ToList();
        var patchRank = patched.Select((id, rank) => (id, rank)).GroupBy(e => e.id).ToDictionary(g => g.Key, g => g.First().rank, StringComparer.Ordinal);
        var fromPatch = items.Where(e => patchRank.ContainsKey(e.Id)).OrderBy(e => patchRank[e.Id]).ToList();
        var serverOnly = items.Where(e => !patchRank.ContainsKey(e.Id)).ToList();
        var serverRank = original.Select((id, rank) => (id, rank)).GroupBy(e => e.id).ToDictionary(g => g.Key, g => g.First().rank, StringComparer.Ordinal);

        var ordered = new List<JsonNode?>(items.Count);
        int s = 0, p = 0;
        while (s < serverOnly.Count || p < fromPatch.Count)
        {
            var takeServer = p >= fromPatch.Count
                || (s < serverOnly.Count && serverRank.TryGetValue(serverOnly[s].Id, out var left)
                    && serverRank.TryGetValue(fromPatch[p].Id, out var right) && left < right);
            ordered.Add(takeServer ? serverOnly[s++].Item : fromPatch[p++].Item);
        }

        merged.Clear();
        foreach (var item in ordered)
        {
            merged.Add(item);
        }
    }
}
