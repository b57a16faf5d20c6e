// The fieldValidation directive of a create, update or patch: what to do with fields the kind's schema does not
// declare. As in kube-apiserver, an absent directive means Warn; the value is checked like PatchOptions' (422).
using Operator.Emulator.Discovery;

namespace Operator.Emulator.Api;

public enum FieldValidation
{
    /// <summary>Drop unknown fields silently.</summary>
    Ignore,

    /// <summary>Drop unknown fields and name each in a Warning response header.</summary>
    Warn,

    /// <summary>Refuse the write, naming the unknown fields.</summary>
    Strict,
}

public static class FieldValidationDirective
{
    public static FieldValidation Parse(string? text, string optionsKind) => text switch
    {
        null or "" or "Warn" => FieldValidation.Warn,
        "Strict" => FieldValidation.Strict,
        "Ignore" => FieldValidation.Ignore,
        _ => throw InvalidOptions(optionsKind, new StatusCause("FieldValueNotSupported",
            $"Unsupported value: \"{text}\": supported values: \"Ignore\", \"Strict\", \"Warn\"", "fieldValidation")),
    };

    /// <summary>kube-apiserver's 422 for bad request options, e.g. PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: ...</summary>
    public static ApiException InvalidOptions(string optionsKind, StatusCause cause) =>
        new(422, "Invalid", $"{optionsKind}.meta.k8s.io \"\" is invalid: {cause.Field}: {cause.Message}")
        {
            DetailName = string.Empty,
            DetailGroup = "meta.k8s.io",
            DetailKind = optionsKind,
            Causes = [cause],
        };

    /// <summary>The text of one unknown field as kube-apiserver's strict decoding names it: unknown field "spec.x".</summary>
    public static string Describe(string path) => $"unknown field \"{path}\"";

    /// <summary>A create or update refused under Strict (400) for the given strict decoding errors, worded as kube-apiserver's decoder does.</summary>
    public static ApiException StrictDecodeError(ResourceType type, IReadOnlyList<string> errors) =>
        ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", errors)}");

    /// <summary>A merge, JSON or strategic merge patch refused under Strict (422 on the field "patch"), as kube-apiserver does.</summary>
    public static ApiException StrictPatchError(string patchedJson, IReadOnlyList<string> errors)
    {
        var message = $"strict decoding error: {string.Join(", ", errors)}";
        var cause = new StatusCause("FieldValueInvalid", $"Invalid value: {System.Text.Json.JsonSerializer.Serialize(patchedJson)}: {message}", "patch");
        return new ApiException(422, "Invalid", $" \"\" is invalid: patch: {cause.Message}")
        {
            DetailName = string.Empty,
            DetailGroup = string.Empty,
            DetailKind = string.Empty,
            Causes = [cause],
        };
    }
}
