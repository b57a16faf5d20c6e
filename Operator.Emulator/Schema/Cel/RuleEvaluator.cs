// Evaluates the x-kubernetes-validations rules of a schema against an object (and, on update, the object it
// replaces) the way kube-apiserver's CRD validation does:
// - A rule runs with `self` bound to the value at its node; absent and null values are not validated.
// - Old values correlate through object fields, map values by key and map-list items by their keys; items of other
//   lists never correlate. A transition rule (one naming oldSelf) runs only where an old value correlates.
// - Ratcheting (on by default since Kubernetes 1.30): on update, a failing rule that does not name oldSelf is not an
//   error when its value (or, where it does not correlate, its nearest correlating ancestor) is unchanged; the real
//   server answers a warning header instead, which the emulator does not send.
// - Errors are kube-apiserver's: `<path>: Invalid value: "<schema type>": <message>` (or Forbidden / Required value /
//   Duplicate value by the rule's reason), the path extended by the rule's fieldPath, `<nil>` for the root.
using System.Text.Json.Nodes;
using Cel;

namespace Operator.Emulator.Schema.Cel;

internal sealed class RuleEvaluator
{
    private const string RootPath = "<nil>";
    private readonly List<FieldError> errors = [];

    public static IReadOnlyList<FieldError> Evaluate(JsonObject obj, JsonObject? old, TypeSchema schema)
    {
        var evaluator = new RuleEvaluator();
        evaluator.Visit(obj, old, schema, "", unchanged: old is not null && JsonNode.DeepEquals(obj, old));
        return evaluator.errors;
    }

    /// <summary>Whether any node of the schema declares a rule (so objects of kinds without rules cost nothing).</summary>
    public static bool HasRules(TypeSchema schema) => HasRules(schema, new HashSet<TypeSchema>(ReferenceEqualityComparer.Instance));

    private static bool HasRules(TypeSchema schema, HashSet<TypeSchema> seen) =>
        seen.Add(schema) && (schema.Validations.Count > 0
            || schema.Properties.Values.Any(child => HasRules(child, seen))
            || (schema.AdditionalProperties is { } values && HasRules(values, seen))
            || (schema.Items is { } items && HasRules(items, seen)));

    private void Visit(JsonNode? node, JsonNode? old, TypeSchema schema, string path, bool unchanged)
    {
        if (node is null)
        {
            return;
        }

        foreach (var rule in schema.Validations)
        {
            Run(rule, node, old, schema, path, unchanged);
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var declared = schema.Properties.TryGetValue(name, out var childSchema);
                    if (!declared && schema.AdditionalProperties is null)
                    {
                        continue;
                    }

                    var oldChild = old is JsonObject oldObject && oldObject.TryGetPropertyValue(name, out var previous) ? previous : null;
                    var correlates = oldChild is not null;
                    var childPath = declared ? (path.Length == 0 ? name : $"{path}.{name}") : $"{path}[{name}]";
                    Visit(child, oldChild, declared ? childSchema! : schema.AdditionalProperties!, childPath,
                        correlates ? JsonNode.DeepEquals(child, oldChild) : unchanged);
                }

                break;
            case JsonArray array when schema.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    var oldItem = schema.ListType == ListType.Map && old is JsonArray oldArray && array[i] is JsonObject item
                        ? oldArray.OfType<JsonObject>().FirstOrDefault(candidate => SameKeys(candidate, item, schema.ListMapKeys))
                        : null;
                    Visit(array[i], oldItem, items, $"{path}[{i}]", oldItem is not null ? JsonNode.DeepEquals(array[i], oldItem) : unchanged);
                }

                break;
            default:
                break;
        }
    }

    private static bool SameKeys(JsonObject left, JsonObject right, IReadOnlyList<string> keys) =>
        keys.All(key => JsonNode.DeepEquals(left[key], right[key]));

    private void Run(ValidationRule rule, JsonNode node, JsonNode? old, TypeSchema schema, string path, bool unchanged)
    {
        var type = schema.Type ?? string.Empty;
        var here = path.Length == 0 ? RootPath : path;
        if (rule.Program is null)
        {
            errors.Add(new FieldError(here, "FieldValueInvalid", $"Invalid value: \"{type}\": rule compile error: {rule.CompileError}"));
            return;
        }

        if (rule.UsesOldSelf && old is null && !rule.OptionalOldSelf)
        {
            return;
        }

        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["self"] = CelValues.From(node, schema),
            ["oldSelf"] = CelValues.From(old, schema),
        };
        object? result;
        try
        {
            result = rule.Program(variables);
        }
        catch (Exception error) when (error is CelException or InvalidCastException or FormatException or OverflowException)
        {
            errors.Add(new FieldError(here, "FieldValueInvalid", $"Invalid value: \"{type}\": {CelErrorText.Of(error)} evaluating rule: {rule.ErrorText}"));
            return;
        }

        if (result is true || (unchanged && !rule.UsesOldSelf))
        {
            return;
        }

        var field = rule.FieldPath is null ? here : FieldPath(path, rule.FieldPath);
        var message = Message(rule, variables) ?? rule.MessageOrDefault;
        errors.Add(rule.Reason switch
        {
            RuleReason.FieldValueForbidden => new FieldError(field, "FieldValueForbidden", $"Forbidden: {message}"),
            RuleReason.FieldValueRequired => new FieldError(field, "FieldValueRequired", $"Required value: {message}"),
            RuleReason.FieldValueDuplicate => new FieldError(field, "FieldValueDuplicate", $"Duplicate value: \"{type}\""),
            _ => new FieldError(field, "FieldValueInvalid", $"Invalid value: \"{type}\": {message}"),
        });
    }

    private static string FieldPath(string path, string relative) =>
        path.Length == 0 ? relative.TrimStart('.') : relative.StartsWith('[') ? path + relative : $"{path}.{relative.TrimStart('.')}";

    /// <summary>The messageExpression's result, or null when it fails or gives no usable one-line text.</summary>
    private static string? Message(ValidationRule rule, Dictionary<string, object?> variables)
    {
        if (rule.MessageProgram is null)
        {
            return null;
        }

        try
        {
            return rule.MessageProgram(variables) is string text && text.Trim() is { Length: > 0 } trimmed && !trimmed.Contains('\n', StringComparison.Ordinal)
                ? trimmed
                : null;
        }
        catch (Exception error) when (error is CelException or InvalidCastException or FormatException or OverflowException)
        {
            return null;
        }
    }
}
