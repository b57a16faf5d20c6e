// Validates an object against its TypeSchema the way kube-apiserver validates custom resources.
// Invariants: errors are reported in document order, one per failing rule (a type mismatch stops the checks of
// that value); FieldError.Message is kube-apiserver's error body without the leading "path: ", so the API server
// builds its Status message as "path: message" and its causes from (Reason, Message, Path).
// Not evaluated: x-kubernetes-validations (CEL), allOf/anyOf/oneOf/not, formats other than int32/int64.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Schema;

internal sealed class SchemaValidator
{
    private readonly List<FieldError> errors = [];

    public static IReadOnlyList<FieldError> Validate(JsonObject obj, TypeSchema schema)
    {
        var validator = new SchemaValidator();
        validator.ValidateObject(obj, schema, "");
        return validator.errors;
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private void Add(string path, string reason, string message) => errors.Add(new FieldError(path, reason, message));

    private void Invalid(string path, JsonNode? value, string detail) =>
        Add(path, "FieldValueInvalid", $"Invalid value: {JsonValueText.Format(value)}: {path} in body {detail}");

    private void ValidateValue(JsonNode? value, TypeSchema schema, string path)
    {
        if (value is null)
        {
            if (!schema.Nullable && (schema.Type is not null || schema.IntOrString))
            {
                var expected = schema.IntOrString ? "integer,string" : schema.Type;
                Add(path, "FieldValueTypeInvalid", $"Invalid value: \"null\": {path} in body must be of type {expected}: \"null\"");
            }

            return;
        }

        if (!HasExpectedType(value, schema, path))
        {
            return;
        }

        if (schema.Enum is { } allowed && !allowed.Any(a => JsonEquality.Equal(a, value)))
        {
            var supported = string.Join(", ", allowed.Select(JsonValueText.Format));
            Add(path, "FieldValueNotSupported", $"Unsupported value: {JsonValueText.Format(value)}: supported values: {supported}");
        }

        switch (value)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path);
                break;
            default:
                ValidateScalar((JsonValue)value, schema, path);
                break;
        }
    }

    private bool HasExpectedType(JsonNode value, TypeSchema schema, string path)
    {
        var actual = JsonValueText.TypeName(value);
        if (schema.IntOrString)
        {
            if (actual is "integer" or "string")
            {
                return true;
            }

            Add(path, "FieldValueTypeInvalid", $"Invalid value: \"{actual}\": {path} in body must be of type integer,string: \"{actual}\"");
            return false;
        }

        var matches = schema.Type switch
        {
            null => true,
            "number" => actual is "number" or "integer",
            _ => actual == schema.Type,
        };
        if (!matches)
        {
            Add(path, "FieldValueTypeInvalid", $"Invalid value: \"{actual}\": {path} in body must be of type {schema.Type}: \"{actual}\"");
            return false;
        }

        if (actual == "integer" && schema.Format is "int32" or "int64" && JsonNumber.TryRead(value, out var number))
        {
            var fits = schema.Format == "int32" ? number is >= int.MinValue and <= int.MaxValue : number is >= long.MinValue and <= long.MaxValue;
            if (!fits)
            {
                Add(path, "FieldValueTypeInvalid", $"Invalid value: {JsonValueText.Format(value)}: {path} in body must be of type {schema.Format}: \"{JsonValueText.Format(value)}\"");
                return false;
            }
        }

        return true;
    }

    private void ValidateScalar(JsonValue value, TypeSchema schema, string path)
    {
        if (JsonNumber.TryRead(value, out var number))
        {
            ValidateBounds(value, (double)number, schema, path);
        }
        else if (value.GetValueKind() == JsonValueKind.String)
        {
            ValidateString(value, value.GetValue<string>(), schema, path);
        }
    }

    private void ValidateBounds(JsonValue value, double number, TypeSchema schema, string path)
    {
        if (schema.Maximum is { } max && (schema.ExclusiveMaximum ? number >= max : number > max))
        {
            var relation = schema.ExclusiveMaximum ? "less than" : "less than or equal to";
            Invalid(path, value, $"should be {relation} {max.ToString(CultureInfo.InvariantCulture)}");
        }

        if (schema.Minimum is { } min && (schema.ExclusiveMinimum ? number <= min : number < min))
        {
            var relation = schema.ExclusiveMinimum ? "greater than" : "greater than or equal to";
            Invalid(path, value, $"should be {relation} {min.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private void ValidateString(JsonValue value, string text, TypeSchema schema, string path)
    {
        var length = text.EnumerateRunes().Count();
        if (schema.MaxLength is { } maxLength && length > maxLength)
        {
            var unit = maxLength == 1 ? "byte" : "bytes";
            Add(path, "FieldValueTooLong", $"Too long: may not be more than {maxLength} {unit}");
        }

        if (schema.MinLength is { } minLength && length < minLength)
        {
            Invalid(path, value, $"should be at least {minLength} chars long");
        }

        if (schema.PatternRegex is { } regex && !regex.IsMatch(text))
        {
            Invalid(path, value, $"should match '{schema.Pattern}'");
        }
    }

    private void ValidateArray(JsonArray array, TypeSchema schema, string path)
    {
        if (schema.MaxItems is { } maxItems && array.Count > maxItems)
        {
            Add(path, "FieldValueTooMany", $"Too many: {array.Count}: must have at most {maxItems} items");
        }

        if (schema.MinItems is { } minItems && array.Count < minItems)
        {
            Add(path, "FieldValueInvalid", $"Invalid value: {array.Count}: {path} in body should have at least {minItems} items");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            ValidateValue(array[i], schema.ItemSchema, itemPath);
            var identity = schema.ListType switch
            {
                ListType.Set => JsonValueText.Format(array[i]),
                ListType.Map when array[i] is JsonObject item => KeyText(item, schema.ListMapKeys),
                _ => null,
            };
            if (identity is not null && !seen.Add(identity))
            {
                Add(itemPath, "FieldValueDuplicate", $"Duplicate value: {identity}");
            }
        }
    }

    private static string KeyText(JsonObject item, IReadOnlyList<string> keys)
    {
        var key = new JsonObject();
        foreach (var name in keys)
        {
            key[name] = item[name]?.DeepClone();
        }

        return key.ToJsonString();
    }

    private void ValidateObject(JsonObject obj, TypeSchema schema, string path)
    {
        foreach (var name in schema.Required)
        {
            if (!obj.ContainsKey(name))
            {
                Add(Child(path, name), "FieldValueRequired", "Required value");
            }
        }

        if (schema.MaxProperties is { } maxProperties && obj.Count > maxProperties)
        {
            Add(path, "FieldValueTooMany", $"Too many: {obj.Count}: must have at most {maxProperties} items");
        }

        if (schema.MinProperties is { } minProperties && obj.Count < minProperties)
        {
            Add(path, "FieldValueInvalid", $"Invalid value: {obj.Count}: {path} in body should have at least {minProperties} properties");
        }

        foreach (var (name, child) in obj)
        {
            if (schema.Declares(name) || schema.AdditionalProperties is not null)
            {
                ValidateValue(child, schema.ChildSchema(name), Child(path, name));
            }
        }
    }
}
