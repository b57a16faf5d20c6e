// The check kube-apiserver makes of a CRD's x-kubernetes-validations before accepting it: every rule (and
// messageExpression) must compile. Paths name the rule as kube-apiserver does
// (`...openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule`); the compiler's message is the Cel
// package's, not cel-go's.
using System.Text.Json.Nodes;
using Operator.Emulator.Api;
using Operator.Emulator.Schema.Cel;

namespace Operator.Emulator.Discovery;

internal static class ValidationRuleCompilation
{
    public static IEnumerable<StatusCause> Problems(JsonObject schema, string path)
    {
        if (schema["x-kubernetes-validations"] is JsonArray rules)
        {
            for (var i = 0; i < rules.Count; i++)
            {
                if (rules[i] is JsonObject rule && ValidationRuleReader.CompileError(rule) is { } error)
                {
                    var text = rule["rule"]?.ToString() ?? string.Empty;
                    yield return new StatusCause("FieldValueInvalid", $"Invalid value: \"{text}\": compilation failed: {error}", $"{path}.x-kubernetes-validations[{i}].rule");
                }
            }
        }

        var children = new List<(JsonObject Schema, string Path)>();
        if (schema["properties"] is JsonObject properties)
        {
            children.AddRange(properties.Where(p => p.Value is JsonObject).Select(p => ((JsonObject)p.Value!, $"{path}.properties[{p.Key}]")));
        }

        if (schema["items"] is JsonObject items)
        {
            children.Add((items, $"{path}.items"));
        }

        if (schema["additionalProperties"] is JsonObject values)
        {
            children.Add((values, $"{path}.additionalProperties"));
        }

        foreach (var (child, childPath) in children)
        {
            foreach (var problem in Problems(child, childPath))
            {
                yield return problem;
            }
        }
    }
}
