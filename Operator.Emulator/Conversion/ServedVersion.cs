// A resource may be served at several group-versions over one store: every version of a CRD, and Events (core v1
// and events.k8s.io/v1). Objects are stored in one version; whoever reads or writes through another converts here.
// Invariants: Present(type, Stored(type, x)) equals x on every field the type's version declares; a type whose
// stored shape is its served shape (every CRD version, every built-in kind but events.k8s.io Events) only has its
// apiVersion rewritten.
using System.Text.Json.Nodes;
using Operator.Emulator.Discovery;

namespace Operator.Emulator.Conversion;

/// <summary>Converts objects between their stored version and the version a request is served in.</summary>
public static class ServedVersion
{
    /// <summary>True when <paramref name="type"/> is events.k8s.io Events, served from the core Event store.</summary>
    public static bool IsEventsApi(ResourceType type) => type.Group == "events.k8s.io" && type.Resource == "events";

    /// <summary>The stored <paramref name="obj"/> as <paramref name="type"/> serves it; converts in place where only apiVersion differs.</summary>
    public static JsonObject Present(ResourceType type, JsonObject obj)
    {
        if (IsEventsApi(type) && obj["apiVersion"]?.GetValue<string>() != EventConversion.EventsApiVersion)
        {
            return EventConversion.ToEventsV1(obj);
        }

        obj["apiVersion"] = type.GroupVersion;
        return obj;
    }

    /// <summary>The shape <paramref name="obj"/>, as <paramref name="type"/> serves it, is stored in.</summary>
    public static JsonObject Stored(ResourceType type, JsonObject obj) =>
        IsEventsApi(type) ? EventConversion.ToCoreV1(obj) : obj;
}
