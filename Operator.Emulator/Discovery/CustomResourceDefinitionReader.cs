// Reads what a CustomResourceDefinition serves. Invariant: only versions with served=true become resources;
// the CRD's name must be "<plural>.<group>" (kube-apiserver rejects anything else with 422).
using System.Text.Json.Nodes;
using Operator.Emulator.Api;
using Operator.Emulator.Schema;
using Operator.Emulator.Storage;
using Operator.Emulator.Tables;

namespace Operator.Emulator.Discovery;

/// <summary>Turns a CRD object into served resource types and the status kube-apiserver reports for it.</summary>
public static class CustomResourceDefinitionReader
{
    public static string Group(JsonObject crd) => crd["spec"]?["group"]?.GetValue<string>() ?? string.Empty;

    public static string Plural(JsonObject crd) => crd["spec"]?["names"]?["plural"]?.GetValue<string>() ?? string.Empty;

    /// <summary>Structural checks kube-apiserver makes before accepting a CRD.</summary>
    public static IReadOnlyList<StatusCause> Validate(JsonObject crd)
    {
        var causes = new List<StatusCause>();
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
        var group = Group(crd);
        var plural = Plural(crd);
        var kind = crd["spec"]?["names"]?["kind"]?.GetValue<string>();
        if (group.Length == 0)
        {
            causes.Add(new StatusCause("FieldValueRequired", "Required value", "spec.group"));
        }

        if (plural.Length == 0)
        {
            causes.Add(new StatusCause("FieldValueRequired", "Required value", "spec.names.plural"));
        }

        if (string.IsNullOrEmpty(kind))
        {
            causes.Add(new StatusCause("FieldValueRequired", "Required value", "spec.names.kind"));
        }

        if (name != $"{plural}.{group}")
        {
            causes.Add(new StatusCause("FieldValueInvalid", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group", "metadata.name"));
        }

        var scope = crd["spec"]?["scope"]?.GetValue<string>();
        if (scope is not ("Namespaced" or "Cluster"))
        {
            causes.Add(new StatusCause("FieldValueNotSupported", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\"", "spec.scope"));
        }

        var versions = crd["spec"]?["versions"] as JsonArray ?? [];
        if (versions.Count == 0)
        {
            causes.Add(new StatusCause("FieldValueRequired", "Required value: must have exactly one version marked as storage version", "spec.versions"));
        }
        else if (versions.Count(version => version?["storage"]?.GetValue<bool>() == true) != 1)
        {
            causes.Add(new StatusCause("FieldValueInvalid", "Invalid value: must have exactly one version marked as storage version", "spec.versions"));
        }

        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i]?["schema"]?["openAPIV3Schema"] is JsonObject schema)
            {
                causes.AddRange(ValidationRuleCompilation.Problems(schema, $"spec.versions[{i}].schema.openAPIV3Schema"));
            }
        }

        return causes;
    }

    /// <summary>The resources the CRD's served versions make available.</summary>
    public static IReadOnlyList<ResourceType> ServedResources(JsonObject crd)
    {
        var spec = crd["spec"]!;
        var names = spec["names"]!;
        var group = Group(crd);
        var plural = Plural(crd);
        var kind = names["kind"]!.GetValue<string>();
        var singular = names["singular"]?.GetValue<string>() ?? kind.ToLowerInvariant();
        var shortNames = (names["shortNames"] as JsonArray ?? []).Select(item => item!.GetValue<string>()).ToList();
        var categories = (names["categories"] as JsonArray ?? []).Select(item => item!.GetValue<string>()).ToList();
        var namespaced = spec["scope"]?.GetValue<string>() == "Namespaced";
        var served = new List<ResourceType>();
        foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"]?.GetValue<bool>() != true)
            {
                continue;
            }

            var subresources = version["subresources"] as JsonObject;
            var scale = subresources?["scale"] is JsonObject scaleSpec
                ? new ScaleSubresource(
                    scaleSpec["specReplicasPath"]?.GetValue<string>() ?? ".spec.replicas",
                    scaleSpec["statusReplicasPath"]?.GetValue<string>() ?? ".status.replicas",
                    scaleSpec["labelSelectorPath"]?.GetValue<string>())
                : null;
            var columns = (version["additionalPrinterColumns"] as JsonArray ?? []).OfType<JsonObject>().Select(column => PrinterColumn.FromJsonPath(
                column["name"]!.GetValue<string>(),
                column["type"]?.GetValue<string>() ?? "string",
                column["jsonPath"]!.GetValue<string>(),
                JsonNumber.TryRead(column["priority"], out var priority) ? (int)priority : 0,
                column["description"]?.GetValue<string>() ?? string.Empty,
                column["format"]?.GetValue<string>() ?? string.Empty));
            served.Add(new ResourceType(group, version["name"]!.GetValue<string>(), plural, kind, singular, namespaced, shortNames,
                subresources?["status"] is not null, scale, BuiltInColumns.ForCustomResource(columns), IsCustom: true, Categories: categories));
        }

        return served;
    }

    /// <summary>The openAPIV3Schema the stored CRD declares for <paramref name="type"/>'s version, or null.</summary>
    public static JsonObject? SchemaOf(StoreSnapshot snapshot, ResourceType type)
    {
        var crd = snapshot.Get(new GroupResource(BuiltInResources.ApiExtensionsGroup, "customresourcedefinitions"), new ObjectKey("", $"{type.Resource}.{type.Group}"));
        return (crd?.ToJsonObject()["spec"]?["versions"] as JsonArray)?
            .FirstOrDefault(version => version?["name"]?.GetValue<string>() == type.Version)?["schema"]?["openAPIV3Schema"] as JsonObject;
    }

    /// <summary>The openAPIV3Schema of each served version (versions without one are absent).</summary>
    public static IEnumerable<(string Version, JsonObject Schema)> Schemas(JsonObject crd) =>
        (crd["spec"]?["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(version => version["served"]?.GetValue<bool>() == true && version["schema"]?["openAPIV3Schema"] is JsonObject)
            .Select(version => (version["name"]!.GetValue<string>(), (JsonObject)version["schema"]!["openAPIV3Schema"]!.DeepClone()));

    /// <summary>Sets the status an accepted CRD gets: names accepted, established, stored versions.</summary>
    public static void SetAcceptedStatus(JsonObject crd, JsonObject? previousStatus, string now)
    {
        var storage = (crd["spec"]?["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(version => version["storage"]?.GetValue<bool>() == true)?["name"]?.GetValue<string>();
        var storedVersions = (previousStatus?["storedVersions"] as JsonArray ?? []).Select(item => item!.GetValue<string>()).ToList();
        if (storage is not null && !storedVersions.Contains(storage))
        {
            storedVersions.Add(storage);
        }

        var previousConditions = previousStatus?["conditions"] as JsonArray ?? [];
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = crd["spec"]?["names"]?.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", previousConditions, now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", previousConditions, now)),
            ["storedVersions"] = new JsonArray([.. storedVersions.Select(version => JsonValue.Create(version))]),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, JsonArray previous, string now)
    {
        var since = previous.OfType<JsonObject>().FirstOrDefault(condition => condition["type"]?.GetValue<string>() == type)?["lastTransitionTime"]?.GetValue<string>();
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = since ?? now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }
}
