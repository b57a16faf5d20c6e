// kube-apiserver stores one Event and serves it as core v1 and as events.k8s.io/v1, converting through its internal
// (core) Event. The two shapes differ only in these field names:
//   events.k8s.io/v1            core v1
//   regarding                   involvedObject
//   note                        message
//   deprecatedSource            source
//   deprecatedFirstTimestamp    firstTimestamp
//   deprecatedLastTimestamp     lastTimestamp
//   deprecatedCount             count
//   reportingController         reportingComponent
// Every other field (metadata, eventTime, series, action, reason, related, reportingInstance, type) keeps its name.
// Invariants: the conversions are each other's inverse on the renamed fields; a field absent on one side stays absent
// on the other, except the object references and sources, which Go always serializes (as {} when empty).
using System.Text.Json.Nodes;

namespace Operator.Emulator.Conversion;

/// <summary>Converts an Event between its core v1 (stored) shape and its events.k8s.io/v1 shape.</summary>
internal static class EventConversion
{
    public const string CoreApiVersion = "v1";

    public const string EventsApiVersion = "events.k8s.io/v1";

    private static readonly (string Events, string Core)[] RenamedFields =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
        ("reportingController", "reportingComponent"),
    ];

    private static readonly string[] AlwaysSerializedCore = ["involvedObject", "source"];

    private static readonly string[] AlwaysSerializedEvents = ["regarding", "deprecatedSource"];

    /// <summary>The events.k8s.io/v1 shape of a core v1 Event (a new object; the argument is left as it was).</summary>
    public static JsonObject ToEventsV1(JsonObject core) =>
        Convert(core, EventsApiVersion, RenamedFields.Select(pair => (From: pair.Core, To: pair.Events)), AlwaysSerializedEvents);

    /// <summary>The core v1 shape of an events.k8s.io/v1 Event (a new object; the argument is left as it was).</summary>
    public static JsonObject ToCoreV1(JsonObject events) =>
        Convert(events, CoreApiVersion, RenamedFields.Select(pair => (From: pair.Events, To: pair.Core)), AlwaysSerializedCore);

    private static JsonObject Convert(JsonObject source, string apiVersion, IEnumerable<(string From, string To)> renames, string[] alwaysSerialized)
    {
        var renamed = renames.ToDictionary(pair => pair.From, pair => pair.To, StringComparer.Ordinal);
        var converted = new JsonObject();
        foreach (var (name, value) in source)
        {
            if (renamed.ContainsValue(name) && !renamed.ContainsKey(name))
            {
                // A target-only name in the source (a core "message" sent to events.k8s.io) is not a field of the
                // source's version: the real decoder drops it, so it must not overwrite the renamed field.
                continue;
            }

            var target = name == "apiVersion" ? name : renamed.GetValueOrDefault(name, name);
            converted[target] = name == "apiVersion" ? apiVersion : value?.DeepClone();
        }

        converted["apiVersion"] = apiVersion;
        converted["kind"] = "Event";
        foreach (var name in alwaysSerialized)
        {
            converted[name] ??= new JsonObject();
        }

        return converted;
    }
}
