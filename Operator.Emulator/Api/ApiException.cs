// Every error the API answers is a metav1 Status; this exception carries one from wherever it is detected to the
// HTTP layer. Messages follow kube-apiserver's wording so clients that match on them keep working.
using System.Text.Json.Nodes;
using Operator.Emulator.Discovery;

namespace Operator.Emulator.Api;

/// <summary>An API error answered as a metav1 Status.</summary>
public sealed class ApiException(int code, string reason, string message) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public string? DetailName { get; init; }

    public string? DetailGroup { get; init; }

    public string? DetailKind { get; init; }

    public IReadOnlyList<StatusCause> Causes { get; init; } = [];

    public int? RetryAfterSeconds { get; init; }

    public static string Qualified(ResourceType type) => type.Group.Length == 0 ? type.Resource : $"{type.Resource}.{type.Group}";

    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{Qualified(type)} \"{name}\" not found") { DetailName = name, DetailGroup = type.Group, DetailKind = type.Resource };

    public static ApiException NamespaceNotFound(string name) =>
        new(404, "NotFound", $"namespaces \"{name}\" not found") { DetailName = name, DetailGroup = "", DetailKind = "namespaces" };

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{Qualified(type)} \"{name}\" already exists") { DetailName = name, DetailGroup = type.Group, DetailKind = type.Resource };

    public static ApiException Conflict(ResourceType type, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(type)} \"{name}\": {why}") { DetailName = name, DetailGroup = type.Group, DetailKind = type.Resource };

    /// <summary>
    /// A JSON patch that cannot apply, as kube-apiserver answers it (a generic 422): its own message says only that the
    /// request was rejected; the patch library's text is the one cause, of type UnexpectedServerResponse.
    /// </summary>
    public static ApiException JsonPatchNotApplicable(string text) =>
        new(422, "Invalid", "the server rejected our request due to an error in our request")
        {
            DetailName = string.Empty,
            DetailGroup = string.Empty,
            DetailKind = string.Empty,
            Causes = [new StatusCause("UnexpectedServerResponse", text, string.Empty)],
        };

    public static ApiException StaleResourceVersion(ResourceType type, string name) =>
        Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<StatusCause> causes) =>
        new(422, "Invalid", $"{(type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}")} \"{name}\" is invalid: {CauseList(causes)}")
        {
            DetailName = name,
            DetailGroup = type.Group,
            DetailKind = type.Kind,
            Causes = causes,
        };

    /// <summary>The causes as kube-apiserver's aggregate error prints them: one alone, several in brackets.</summary>
    private static string CauseList(IReadOnlyList<StatusCause> causes)
    {
        var text = string.Join(", ", causes.Select(cause => $"{cause.Field}: {cause.Message}"));
        return causes.Count == 1 ? text : $"[{text}]";
    }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {contentType})");

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException Internal(string message) => new(500, "InternalError", message);

    /// <summary>A status for an injected or generic failure with an HTTP code.</summary>
    public static ApiException ForCode(int code, string message, int? retryAfterSeconds = null) => new(code, code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Expired",
        422 => "Invalid",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "InternalError",
    }, message)
    {
        RetryAfterSeconds = retryAfterSeconds,
    };

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["code"] = Code,
        };
        if (Reason.Length > 0)
        {
            // kube-apiserver leaves the reason out for an error it has no reason for (StatusReasonUnknown).
            status["reason"] = Reason;
        }

        if (DetailName is not null || DetailKind is not null || Causes.Count > 0 || RetryAfterSeconds is not null)
        {
            var details = new JsonObject();
            if (DetailName is not null)
            {
                details["name"] = DetailName;
            }

            if (!string.IsNullOrEmpty(DetailGroup))
            {
                details["group"] = DetailGroup;
            }

            if (DetailKind is not null)
            {
                details["kind"] = DetailKind;
            }

            if (Causes.Count > 0)
            {
                details["causes"] = new JsonArray([.. Causes.Select(Cause)]);
            }

            if (RetryAfterSeconds is { } seconds)
            {
                details["retryAfterSeconds"] = seconds;
            }

            status["details"] = details;
        }

        return status;
    }

    // kube-apiserver omits a cause's empty field (omitempty).
    private static JsonObject Cause(StatusCause cause)
    {
        var obj = new JsonObject { ["reason"] = cause.Reason, ["message"] = cause.Message };
        if (cause.Field.Length > 0)
        {
            obj["field"] = cause.Field;
        }

        return obj;
    }
}
