// Standard object metadata: the same for every kind, built-in or custom. Unknown metadata fields are pruned,
// as kube-apiserver drops them; labels and annotations are granular maps, ownerReferences a map list keyed
// by uid, finalizers a set.
using static Operator.Emulator.Schema.SchemaShapes;

namespace Operator.Emulator.Schema;

internal static class ObjectMetaSchema
{
    /// <summary>Fields server-side apply never tracks: the server owns them or they identify the object.</summary>
    public static IReadOnlySet<string> UntrackedFields { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink",
        "deletionTimestamp", "deletionGracePeriodSeconds",
    };

    public static TypeSchema Create()
    {
        // kube-apiserver rejects an ownerReference missing any of these (ValidateOwnerReferences).
        var ownerReference = Struct(
            ("apiVersion", Str()), ("kind", Str()), ("name", Str()), ("uid", Str()),
            ("controller", Bool()), ("blockOwnerDeletion", Bool())).Requiring("apiVersion", "kind", "name", "uid");
        return new TypeSchema
        {
            Type = "object",
            Properties = new Dictionary<string, TypeSchema>(StringComparer.Ordinal)
            {
                ["name"] = Str(),
                ["generateName"] = Str(),
                ["namespace"] = Str(),
                ["selfLink"] = Str(),
                ["uid"] = Str(),
                ["resourceVersion"] = Str(),
                ["generation"] = Int64(),
                ["creationTimestamp"] = new TypeSchema { Type = "string", Nullable = true },
                ["deletionTimestamp"] = new TypeSchema { Type = "string", Nullable = true },
                ["deletionGracePeriodSeconds"] = Int64(),
                ["labels"] = StringMap(),
                ["annotations"] = StringMap(),
                ["ownerReferences"] = MapList(ownerReference, ["uid"]),
                ["finalizers"] = SetOf(Str()),
                ["managedFields"] = AtomicList(FreeForm()),
            },
        };
    }
}
