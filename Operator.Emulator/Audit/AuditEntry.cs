using Operator.Emulator.Api;

namespace Operator.Emulator.Audit;

/// <summary>
/// One API request as the audit log records it (Group "" is the core group), with the form its objects were
/// answered in (whole, Table or metadata only) and its query string (as kube-apiserver's audit keeps requestURI).
/// </summary>
public sealed record AuditEntry(
    DateTimeOffset Time,
    string User,
    string UserAgent,
    string Verb,
    string Group,
    string Version,
    string Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    string? FieldManager,
    string? PatchType,
    int StatusCode,
    ResponseForm Form = ResponseForm.Object,
    string Query = "")
{
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";
}
