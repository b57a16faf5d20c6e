// The FieldsV1 wire format of managedFields: a nested object keyed by path elements; {} marks a member leaf,
// "." marks a member that also has members below it.
// Invariants: Decode(Encode(s)) equals s; the root is never a member (a "." there is ignored); a malformed FieldsV1 is a 400 PatchException (the client sent it).
using System.Text.Json.Nodes;

namespace Operator.Emulator.Patching;

internal static class FieldsV1
{
    public static JsonObject Encode(FieldSet set)
    {
        var encoded = new JsonObject();
        if (set.IsMember && set.Children.Count > 0)
        {
            encoded[PathElement.ItemSelf] = new JsonObject();
        }

        foreach (var (element, child) in set.Children)
        {
            encoded[element] = Encode(child);
        }

        return encoded;
    }

    public static FieldSet Decode(JsonObject fieldsV1)
    {
        var root = new FieldSet();
        DecodeInto(root, fieldsV1, isRoot: true);
        root.RemoveEmptyChildren();
        return root;
    }

    private static void DecodeInto(FieldSet node, JsonObject encoded, bool isRoot)
    {
        foreach (var (name, value) in encoded)
        {
            if (name == PathElement.ItemSelf)
            {
                if (!isRoot)
                {
                    node.MarkMember();
                }

                continue;
            }

            if (!PathElement.IsWellFormed(name) || value is not JsonObject children)
            {
                throw new PatchException($"metadata.managedFields: invalid FieldsV1 element \"{name}\"", 400);
            }

            var child = node.GetOrAddChild(new PathElement(name));
            if (children.Count == 0)
            {
                child.MarkMember();
            }

            DecodeInto(child, children, isRoot: false);
        }
    }
}
