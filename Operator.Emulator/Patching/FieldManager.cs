// Server-side apply and managedFields bookkeeping, following kube-apiserver (structured-merge-diff):
// - Apply merges the configuration into the live object by the schema, then removes what the applier applied
//   last time but no longer applies, unless another manager owns it (the API server's defaulting then resets
//   such fields, e.g. Deployment spec.replicas to 1).
// - A conflict is a field another manager owns whose value the apply changes; applying the same value shares
//   ownership. force takes conflicting fields away from their owners.
// - Any other write (RecordUpdate) gives the writer, under operation Update, every field it added or changed,
//   taking them from other managers. Managers are grouped per (manager, operation, subresource); a manager left
//   with no fields is dropped.
// - An object that has no managedFields when first applied to is first attributed to "before-first-apply", as
//   kube-apiserver does, so the apply conflicts with values it did not set.
// Differences from kube-apiserver: managed sets are not converted between API versions, and Update managers are
// not capped at ten entries.
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

public static partial class FieldManager
{
    /// <summary>The manager kube-apiserver attributes existing fields to when an object without managedFields is first applied to.</summary>
    public const string BeforeFirstApplyManager = "before-first-apply";

    /// <summary>
    /// Applies <paramref name="applied"/> for <paramref name="manager"/> onto <paramref name="live"/> (null on create).
    /// Fields the manager applied before but no longer applies are removed when no other manager owns them.
    /// With <paramref name="subresource"/> = "status" only the status is taken from the applied object.
    /// </summary>
    public static ApplyOutcome Apply(JsonObject? live, JsonObject applied, string manager, bool force, TypeSchema schema, DateTimeOffset now, string? subresource = null)
    {
        var scope = subresource ?? "";
        var config = FieldScope.AppliedPart(applied, schema, scope);
        var entries = ManagedFieldsCodec.Read(live) ?? [];
        if (live is not null && entries.Count == 0)
        {
            var existing = FieldScope.Tracked(FieldSetExtractor.Extract(live, schema), schema, "");
            entries.Add(new ManagedFieldsEntry(BeforeFirstApplyManager, ManagedFieldsEntry.UpdateOperation, ApiVersionOf(live), null, existing, ""));
        }

        var appliedSet = FieldScope.Tracked(FieldSetExtractor.Extract(config, schema), schema, scope);
        var previous = entries.FirstOrDefault(e => e.IsSameManager(manager, ManagedFieldsEntry.ApplyOperation, scope));
        var others = entries.Where(e => !ReferenceEquals(e, previous)).ToList();

        var merged = ApplyMerger.Merge(live, config, schema);
        if (previous is not null)
        {
            var stillOwned = others.Aggregate(appliedSet, (owned, e) => owned.Union(e.Fields));
            OwnedFieldRemover.Remove(merged, previous.Fields.Difference(appliedSet), stillOwned, schema);
        }

        var diff = ObjectDiff.Between(live, merged, schema);
        var changed = FieldScope.Tracked(diff.Changed, schema, scope);
        var conflicts = new List<FieldConflict>();
        var updated = new List<ManagedFieldsEntry>();
        foreach (var other in others)
        {
            var contested = other.Fields.Intersection(changed);
            conflicts.AddRange(contested.Members().Select(path => new FieldConflict(PathElement.Describe(path), other.Manager)
            {
                ApiVersion = other.ApiVersion,
                Operation = other.Operation,
                Subresource = other.Subresource,
                Time = other.Time,
            }));
            updated.Add(other with { Fields = other.Fields.Difference(contested).Difference(diff.Removed) });
        }

        if (conflicts.Count > 0 && !force)
        {
            return new ApplyOutcome(null, conflicts);
        }

        updated.Add(new ManagedFieldsEntry(
            manager, ManagedFieldsEntry.ApplyOperation, ApiVersionOf(config) ?? ApiVersionOf(live), ManagedFieldsCodec.FormatTime(now), appliedSet, scope));
        ManagedFieldsCodec.Write(merged, updated);
        return new ApplyOutcome(merged, []);
    }

    /// <summary>
    /// Records, for a non-apply write (create, update, patch), that <paramref name="manager"/> now owns every field it
    /// changed or added (operation "Update"), taking those fields away from other managers. Returns <paramref name="after"/>
    /// with metadata.managedFields updated.
    /// </summary>
    public static JsonObject RecordUpdate(JsonObject? before, JsonObject after, string manager, TypeSchema schema, DateTimeOffset now, string? subresource = null)
    {
        var scope = subresource ?? "";
        var entries = EntriesBeforeUpdate(before, after);
        var diff = ObjectDiff.Between(before, after, schema);
        var changed = FieldScope.Tracked(diff.Changed, schema, scope);
        var own = entries.FirstOrDefault(e => e.IsSameManager(manager, ManagedFieldsEntry.UpdateOperation, scope));
        var updated = entries
            .Where(e => !ReferenceEquals(e, own))
            .Select(e => e with { Fields = e.Fields.Difference(changed).Difference(diff.Removed) })
            .ToList();
        var ownFields = (own?.Fields ?? new FieldSet()).Union(changed).Difference(diff.Removed);
        var time = own is null || !changed.IsEmpty ? ManagedFieldsCodec.FormatTime(now) : own.Time;
        updated.Add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.UpdateOperation, ApiVersionOf(after), time, ownFields, scope));
        ManagedFieldsCodec.Write(after, updated);
        return after;
    }

    /// <summary>
    /// The stored entries, unless the writer sent managedFields of its own (then those, as kube-apiserver lets a
    /// client reset them; an empty list means "unchanged").
    /// </summary>
    private static List<ManagedFieldsEntry> EntriesBeforeUpdate(JsonObject? before, JsonObject after)
    {
        var sent = after["metadata"]?["managedFields"];
        var stored = before?["metadata"]?["managedFields"];
        var overridden = sent is JsonArray { Count: > 0 } && !JsonEquality.Equal(sent, stored);
        return (overridden ? ManagedFieldsCodec.Read(after) : ManagedFieldsCodec.Read(before)) ?? [];
    }

    private static string? ApiVersionOf(JsonObject? obj) =>
        obj?["apiVersion"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
