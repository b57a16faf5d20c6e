// Keeps the catalog (and, with enforcement, the schema registry) in step with stored CRDs. Invariants: after a CRD
// is stored its served versions are routable; after it is deleted they are not, and its objects are gone.
using System.Text.Json.Nodes;
using Operator.Emulator.Discovery;
using Operator.Emulator.Schema;
using Operator.Emulator.Storage;

namespace Operator.Emulator.Api;

/// <summary>Registers and unregisters the resources CRDs define.</summary>
public sealed class CustomResourceLifecycle(ObjectStore store, ResourceCatalog catalog, SchemaRegistry? schemas, ILogger<CustomResourceLifecycle> logger)
{
    public void OnStored(ResourceType type, JsonObject crd)
    {
        if (!IsCrd(type))
        {
            return;
        }

        var group = CustomResourceDefinitionReader.Group(crd);
        var plural = CustomResourceDefinitionReader.Plural(crd);
        var served = CustomResourceDefinitionReader.ServedResources(crd);
        var previous = catalog.All.Where(existing => existing.IsCustom && existing.Group == group && existing.Resource == plural).ToList();
        if (schemas is not null)
        {
            foreach (var (version, schema) in CustomResourceDefinitionReader.Schemas(crd))
            {
                var resource = served.First(resource => resource.Version == version);
                schemas.RegisterCustom(group, version, resource.Kind, schema, resource.HasStatus);
            }

            foreach (var gone in previous.Where(old => served.All(resource => resource.Version != old.Version || resource.Kind != old.Kind)))
            {
                schemas.Unregister(gone.Group, gone.Version, gone.Kind);
            }
        }

        catalog.ReplaceCustom(group, plural, served);
        logger.LogInformation("Serving {Plural}.{Group} at versions {Versions}", plural, group, string.Join(",", served.Select(resource => resource.Version)));
    }

    public void OnDeleted(ResourceType type, JsonObject crd)
    {
        if (!IsCrd(type))
        {
            return;
        }

        var group = CustomResourceDefinitionReader.Group(crd);
        var plural = CustomResourceDefinitionReader.Plural(crd);
        var previous = catalog.All.Where(existing => existing.IsCustom && existing.Group == group && existing.Resource == plural).ToList();
        catalog.ReplaceCustom(group, plural, []);
        if (schemas is not null)
        {
            foreach (var gone in previous)
            {
                schemas.Unregister(gone.Group, gone.Version, gone.Kind);
            }
        }

        var collection = new GroupResource(group, plural);
        foreach (var item in store.Snapshot.Items(collection, null).ToList())
        {
            store.Write(collection, item.Key, current => current is null ? new WriteDecision.Keep() : new WriteDecision.Remove(current.ToJsonObject()));
        }

        logger.LogInformation("Stopped serving {Plural}.{Group}", plural, group);
    }

    private static bool IsCrd(ResourceType type) =>
        type.Group == BuiltInResources.ApiExtensionsGroup && type.Resource == "customresourcedefinitions";
}
