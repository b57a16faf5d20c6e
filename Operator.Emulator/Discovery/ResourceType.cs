using Operator.Emulator.Storage;
using Operator.Emulator.Tables;

namespace Operator.Emulator.Discovery;

/// <summary>One served resource at one version: what discovery lists and what the API server routes to.</summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Resource,
    string Kind,
    string Singular,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    bool HasStatus,
    ScaleSubresource? Scale,
    IReadOnlyList<PrinterColumn> Columns,
    bool IsCustom = false,
    IReadOnlyList<string>? Categories = null,
    bool CreateOnly = false)
{
    /// <summary>The verbs discovery lists: a review resource (<see cref="CreateOnly"/>) is only ever created, never stored.</summary>
    public IReadOnlyList<string> Verbs => CreateOnly ? ["create"] : ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>
    /// The collection every version of this resource is stored in. events.k8s.io Events share the core Event store,
    /// as in kube-apiserver, so an Event written through either API is read and watched through both.
    /// </summary>
    public GroupResource Collection => Conversion.ServedVersion.IsEventsApi(this) ? new(string.Empty, Resource) : new(Group, Resource);

    public override string ToString() => $"{Resource}.{GroupVersion}";
}
