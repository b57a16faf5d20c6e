// One entry of metadata.managedFields: the fields one manager owns through one operation (Apply or Update) on
// one subresource ("" for the main resource). Identity is (Manager, Operation, Subresource).
namespace Operator.Emulator.Patching;

internal sealed record ManagedFieldsEntry(
    string Manager,
    string Operation,
    string? ApiVersion,
    string? Time,
    FieldSet Fields,
    string Subresource)
{
    public const string ApplyOperation = "Apply";
    public const string UpdateOperation = "Update";

    public bool IsSameManager(string manager, string operation, string subresource) =>
        Manager == manager && Operation == operation && Subresource == subresource;

    /// <summary>How kube-apiserver names a manager in conflict messages.</summary>
    public string Describe() => Subresource.Length == 0 ? Manager : $"{Manager} with subresource \"{Subresource}\"";
}
