// Builds an OpenAPI v3 structural schema (what a CRD's openAPIV3Schema must be) from C# types by reflection.
// Invariants: output is deterministic (properties sorted by JSON name) so the checked-in CRD is reproducible;
// every node has a type or x-kubernetes-int-or-string/preserve-unknown-fields (structural schema rule); a type
// that contains itself is cut with preserve-unknown-fields rather than recursing forever.
using System.Collections;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Operator.CustomResources;

/// <summary>Generates structural OpenAPI v3 schemas from annotated C# types.</summary>
public static class OpenApiSchemaGenerator
{
    /// <summary>The schema of a custom resource type: apiVersion, kind, metadata, and the type's own fields.</summary>
    public static V1JSONSchemaProps ForResource(Type resourceType)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        var schema = ForType(resourceType, []);
        // metadata is validated by the API server itself; a CRD schema may only say it is an object.
        schema.Properties["metadata"] = new V1JSONSchemaProps { Type = "object" };
        return schema;
    }

    private static V1JSONSchemaProps ForType(Type type, HashSet<Type> path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) { return new V1JSONSchemaProps { Type = "string" }; }
        if (type == typeof(bool)) { return new V1JSONSchemaProps { Type = "boolean" }; }
        if (type == typeof(int)) { return new V1JSONSchemaProps { Type = "integer", Format = "int32" }; }
        if (type == typeof(long)) { return new V1JSONSchemaProps { Type = "integer", Format = "int64" }; }
        if (type == typeof(double) || type == typeof(float)) { return new V1JSONSchemaProps { Type = "number", Format = "double" }; }
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) { return new V1JSONSchemaProps { Type = "string", Format = "date-time" }; }
        if (type == typeof(IntOrString) || type == typeof(ResourceQuantity)) { return new V1JSONSchemaProps { XKubernetesIntOrString = true }; }
        if (type == typeof(byte[])) { return new V1JSONSchemaProps { Type = "string", Format = "byte" }; }
        // Free-form values, and object metadata embedded in core types (the API server checks it on the real object).
        if (type == typeof(object) || type == typeof(V1ObjectMeta)) { return new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true }; }

        if (DictionaryValueType(type) is { } valueType)
        {
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = ForType(valueType, path) };
        }

        if (ListItemType(type) is { } itemType)
        {
            return new V1JSONSchemaProps { Type = "array", Items = ForType(itemType, path) };
        }

        if (!path.Add(type))
        {
            return new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true };
        }

        try
        {
            return ForObject(type, path);
        }
        finally
        {
            path.Remove(type);
        }
    }

    private static V1JSONSchemaProps ForObject(Type type, HashSet<Type> path)
    {
        var properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
        var required = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null
                || property.GetCustomAttribute<SchemaIgnoreAttribute>() is not null
                || property.GetCustomAttribute<JsonPropertyNameAttribute>() is not { } jsonName)
            {
                continue;
            }

            properties[jsonName.Name] = ForProperty(property, path);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(jsonName.Name);
            }
        }

        var schema = new V1JSONSchemaProps
        {
            Type = "object",
            Description = type.GetCustomAttribute<DescriptionAttribute>()?.Description,
            Properties = new Dictionary<string, V1JSONSchemaProps>(properties),
            Required = required.Count > 0 ? [.. required] : null,
        };
        AddValidations(schema, type.GetCustomAttributes<CelRuleAttribute>());
        return schema;
    }

    private static V1JSONSchemaProps ForProperty(PropertyInfo property, HashSet<Type> path)
    {
        var schema = property.GetCustomAttribute<IntOrStringAttribute>() is not null
            ? new V1JSONSchemaProps { XKubernetesIntOrString = true }
            : ForType(property.PropertyType, path);

        schema.Description = property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? schema.Description;
        var isArray = schema.Type == "array";
        foreach (var attribute in property.GetCustomAttributes())
        {
            switch (attribute)
            {
                case MinLengthAttribute min when isArray: schema.MinItems = min.Length; break;
                case MinLengthAttribute min: schema.MinLength = min.Length; break;
                case MaxLengthAttribute max when isArray: schema.MaxItems = max.Length; break;
                case MaxLengthAttribute max: schema.MaxLength = max.Length; break;
                case RegularExpressionAttribute regex when isArray: ItemSchema(schema).Pattern = regex.Pattern; break;
                case RegularExpressionAttribute regex: schema.Pattern = regex.Pattern; break;
                case RangeAttribute range:
                    schema.Minimum = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
                    schema.Maximum = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
                    break;
                case AllowedValuesAttribute allowed when isArray: ItemSchema(schema).EnumProperty = [.. allowed.Values.OfType<object>()]; break;
                case ItemMaxLengthAttribute itemMax: ItemSchema(schema).MaxLength = itemMax.Length; break;
                case AllowedValuesAttribute allowed: schema.EnumProperty = [.. allowed.Values.OfType<object>()]; break;
                case SchemaDefaultAttribute defaultValue: schema.DefaultProperty = defaultValue.Value; break;
                case ListMapKeysAttribute keys:
                    schema.XKubernetesListType = "map";
                    schema.XKubernetesListMapKeys = [.. keys.Keys];
                    // Map-list keys must be required in the item schema (or defaulted).
                    var item = ItemSchema(schema);
                    item.Required = [.. (item.Required ?? []).Union(keys.Keys).Order(StringComparer.Ordinal)];
                    break;
                case ListSetAttribute: schema.XKubernetesListType = "set"; break;
                default: break;
            }
        }

        AddValidations(schema, property.GetCustomAttributes<CelRuleAttribute>());
        return schema;
    }

    // KubernetesClient types `items` as object (it may be a schema or an array of schemas); ours is always a schema.
    private static V1JSONSchemaProps ItemSchema(V1JSONSchemaProps array) =>
        array.Items as V1JSONSchemaProps ?? throw new InvalidOperationException("array schema without an item schema");

    private static void AddValidations(V1JSONSchemaProps schema, IEnumerable<CelRuleAttribute> rules)
    {
        var list = rules.Select(r => new V1ValidationRule { Rule = r.Rule, Message = r.Message, FieldPath = r.FieldPath }).ToList();
        if (list.Count > 0)
        {
            schema.XKubernetesValidations = list;
        }
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary?.GetGenericArguments()[0] == typeof(string) ? dictionary.GetGenericArguments()[1] : null;
    }

    private static Type? ListItemType(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }
}
