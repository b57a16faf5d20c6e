// Reads a schema node's x-kubernetes-validations into compiled rules. A rule that does not parse is kept with its
// compile error (CustomResourceDefinitionReader refuses such a CRD first, as kube-apiserver does, so only schemas
// registered directly can carry one).
using System.Text.Json.Nodes;
using Cel;

namespace Operator.Emulator.Schema.Cel;

internal static class ValidationRuleReader
{
    public static IReadOnlyList<ValidationRule> Read(JsonObject schemaNode)
    {
        if (schemaNode["x-kubernetes-validations"] is not JsonArray entries)
        {
            return [];
        }

        var rules = new List<ValidationRule>(entries.Count);
        foreach (var entry in entries.OfType<JsonObject>())
        {
            rules.Add(ReadRule(entry));
        }

        return rules;
    }

    /// <summary>Why the rule at <paramref name="entry"/> (or its messageExpression) does not compile; null when it does.</summary>
    public static string? CompileError(JsonObject entry) => ReadRule(entry).CompileError;

    private static ValidationRule ReadRule(JsonObject entry)
    {
        var text = Text(entry, "rule") ?? string.Empty;
        var messageExpression = Text(entry, "messageExpression");
        KubernetesCelLibrary.Compiled? rule = null;
        KubernetesCelLibrary.Compiled? message = null;
        string? error = null;
        try
        {
            rule = KubernetesCelLibrary.Compile(text);
            message = messageExpression is null ? null : KubernetesCelLibrary.Compile(messageExpression);
        }
        catch (CelException compile)
        {
            error = compile.Message;
        }

        return new ValidationRule
        {
            Rule = text,
            Message = Text(entry, "message"),
            MessageExpression = messageExpression,
            FieldPath = Text(entry, "fieldPath"),
            Reason = Text(entry, "reason") switch
            {
                "FieldValueForbidden" => RuleReason.FieldValueForbidden,
                "FieldValueRequired" => RuleReason.FieldValueRequired,
                "FieldValueDuplicate" => RuleReason.FieldValueDuplicate,
                _ => RuleReason.FieldValueInvalid,
            },
            OptionalOldSelf = entry["optionalOldSelf"] is JsonValue flag && flag.TryGetValue<bool>(out var optional) && optional,
            UsesOldSelf = rule?.UsesOldSelf == true,
            Program = error is null ? rule?.Program : null,
            MessageProgram = error is null ? message?.Program : null,
            CompileError = error,
        };
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
