// Checks an object against the same attributes the CRD schema is generated from (required, bounds, lengths,
// patterns, enums), so an object the API server did not validate (an older CRD, a cluster that skips a rule)
// still gets a clear, field-named error instead of odd children. Paths use the JSON names users write.
using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Operator.CustomResources;

/// <summary>One invalid field: its JSON path (e.g. <c>spec.workers[1].name</c>) and what is wrong.</summary>
public sealed record FieldViolation(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>Validates annotated model objects recursively.</summary>
public static class AnnotatedModelValidator
{
    /// <summary>Validates <paramref name="value"/>, whose JSON path is <paramref name="path"/>.</summary>
    public static IReadOnlyList<FieldViolation> Validate(object value, string path)
    {
        ArgumentNullException.ThrowIfNull(value);
        var violations = new List<FieldViolation>();
        ValidateObject(value, path, violations);
        return violations;
    }

    private static void ValidateObject(object value, string path, List<FieldViolation> violations)
    {
        var type = value.GetType();
        // Only our own model types carry validation attributes; embedded Kubernetes types are the API server's business.
        if (type.Namespace is null || type.Namespace.StartsWith("k8s", StringComparison.Ordinal))
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>() is not { } name
                || property.GetCustomAttribute<SchemaIgnoreAttribute>() is not null
                || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var fieldPath = path.Length == 0 ? name.Name : $"{path}.{name.Name}";
            ValidateProperty(property, property.GetValue(value), fieldPath, violations);
        }
    }

    private static void ValidateProperty(PropertyInfo property, object? value, string path, List<FieldViolation> violations)
    {
        if (value is null || value is string { Length: 0 } && property.GetCustomAttribute<RequiredAttribute>() is not null)
        {
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                violations.Add(new FieldViolation(path, "Required value"));
            }

            return;
        }

        var count = value is ICollection collection ? collection.Count : (int?)null;
        foreach (var attribute in property.GetCustomAttributes())
        {
            var message = attribute switch
            {
                MinLengthAttribute min when count is { } n && n < min.Length => $"must have at least {min.Length} items",
                MinLengthAttribute min when value is string s && s.Length < min.Length => $"must be at least {min.Length} characters",
                MaxLengthAttribute max when count is { } n && n > max.Length => $"must have at most {max.Length} items",
                MaxLengthAttribute max when value is string s && s.Length > max.Length => $"must be at most {max.Length} characters",
                RangeAttribute range when IsOutOfRange(range, value) => $"must be between {range.Minimum} and {range.Maximum}",
                AllowedValuesAttribute allowed when value is string s && !allowed.Values.Contains(s) =>
                    $"Unsupported value: \"{s}\": supported values: {string.Join(", ", allowed.Values.Select(v => $"\"{v}\""))}",
                RegularExpressionAttribute regex when value is string s && !FullMatch(regex.Pattern, s) => $"must match the pattern {regex.Pattern}",
                _ => null,
            };
            if (message is not null)
            {
                violations.Add(new FieldViolation(path, message));
            }
        }

        if (value is string)
        {
            return;
        }

        if (value is IEnumerable items)
        {
            var pattern = property.GetCustomAttribute<RegularExpressionAttribute>()?.Pattern;
            var allowed = property.GetCustomAttribute<AllowedValuesAttribute>();
            var itemMaxLength = property.GetCustomAttribute<ItemMaxLengthAttribute>()?.Length;
            var index = 0;
            foreach (var item in items)
            {
                var itemPath = $"{path}[{index++}]";
                if (item is string text && pattern is not null && !FullMatch(pattern, text))
                {
                    violations.Add(new FieldViolation(itemPath, $"must match the pattern {pattern}"));
                }
                else if (item is string choice && allowed is not null && !allowed.Values.Contains(choice))
                {
                    violations.Add(new FieldViolation(itemPath, $"Unsupported value: \"{choice}\": supported values: {string.Join(", ", allowed.Values.Select(v => $"\"{v}\""))}"));
                }
                else if (item is string longText && itemMaxLength is { } max && longText.Length > max)
                {
                    violations.Add(new FieldViolation(itemPath, $"must be at most {max} characters"));
                }
                else if (item is not null && item is not string && !item.GetType().IsPrimitive)
                {
                    ValidateObject(item, itemPath, violations);
                }
            }

            return;
        }

        if (!value.GetType().IsPrimitive && value is not IDictionary)
        {
            ValidateObject(value, path, violations);
        }
    }

    private static bool IsOutOfRange(RangeAttribute range, object value)
    {
        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return number < Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture) || number > Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
    }

    private static bool FullMatch(string pattern, string value) => Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
