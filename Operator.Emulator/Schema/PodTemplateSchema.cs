// Pod template of the built-in workloads: the list-merge keys kube-apiserver declares for containers, ports, env,
// volumes and friends, and the defaults it applies to pod specs and containers.
using System.Text.Json.Nodes;
using static Operator.Emulator.Schema.SchemaShapes;

namespace Operator.Emulator.Schema;

internal static class PodTemplateSchema
{
    public static TypeSchema Create() => Struct(("metadata", ObjectMetaSchema.Create()), ("spec", PodSpec()));

    /// <summary>
    /// kube-apiserver's rule: images tagged ":latest" or not tagged at all (and not pinned by digest) are always pulled.
    /// </summary>
    public static string DefaultPullPolicy(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }

        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.LastIndexOf(':');
        var tag = colon < 0 ? null : lastSegment[(colon + 1)..];
        return tag is null or "latest" ? "Always" : "IfNotPresent";
    }

    public static TypeSchema LabelSelector() => AtomicStruct(
        ("matchLabels", StringMap()),
        ("matchExpressions", AtomicList(Struct(("key", Str()), ("operator", Str()), ("values", AtomicList(Str()))))));

    private static TypeSchema PodSpec()
    {
        var toleration = Struct(("key", Str()), ("operator", Str()), ("value", Str()), ("effect", Str()), ("tolerationSeconds", Int64()));
        var spreadConstraint = Struct(
            ("maxSkew", Int32()), ("topologyKey", Str()), ("whenUnsatisfiable", Str()), ("labelSelector", LabelSelector()));
        return Struct(
            ("containers", MapList(Container(), ["name"])),
            ("initContainers", MapList(Container(), ["name"])),
            ("volumes", MapList(Struct(("name", Str())).Requiring("name"), ["name"])),
            ("imagePullSecrets", MapList(Struct(("name", Str())), ["name"])),
            ("tolerations", AtomicList(toleration)),
            ("topologySpreadConstraints", MapList(spreadConstraint, ["topologyKey", "whenUnsatisfiable"])),
            ("nodeSelector", new TypeSchema { Type = "object", AdditionalProperties = Str(), MapType = MapType.Atomic }),
            ("affinity", FreeForm()),
            ("restartPolicy", OneOf("Always", "OnFailure", "Never").Defaulting(JsonValue.Create("Always"))),
            ("dnsPolicy", Str("ClusterFirst")),
            ("schedulerName", Str("default-scheduler")),
            ("terminationGracePeriodSeconds", Int64().Defaulting(JsonValue.Create(30))),
            ("securityContext", FreeForm().Defaulting(new JsonObject())),
            ("serviceAccountName", Str()),
            ("priorityClassName", Str())).Requiring("containers");
    }

    private static TypeSchema Container()
    {
        var port = Struct(("name", Str()), ("containerPort", Int32()), ("hostPort", Int32()), ("protocol", Str("TCP")))
            .Requiring("containerPort");
        var env = Struct(("name", Str()), ("value", Str()), ("valueFrom", FreeForm())).Requiring("name");
        var volumeMount = Struct(("name", Str()), ("mountPath", Str()), ("subPath", Str()), ("readOnly", Bool()))
            .Requiring("name", "mountPath");
        var resources = Struct(("limits", MapOf(Quantity())), ("requests", MapOf(Quantity())));
        var pullPolicy = OneOf("Always", "IfNotPresent", "Never").DefaultingFrom(container =>
            container["image"] is JsonValue image && image.TryGetValue<string>(out var text)
                ? JsonValue.Create(DefaultPullPolicy(text))
                : null);
        return Struct(
            ("name", Str()),
            ("image", Str()),
            ("imagePullPolicy", pullPolicy),
            ("command", AtomicList(Str())),
            ("args", AtomicList(Str())),
            ("workingDir", Str()),
            ("ports", MapList(port, ["containerPort", "protocol"], patchMergeKey: "containerPort")),
            ("env", MapList(env, ["name"])),
            ("envFrom", AtomicList(FreeForm())),
            ("resources", resources.Defaulting(new JsonObject())),
            ("volumeMounts", MapList(volumeMount, ["mountPath"])),
            ("livenessProbe", FreeForm()),
            ("readinessProbe", FreeForm()),
            ("startupProbe", FreeForm()),
            ("lifecycle", FreeForm()),
            ("securityContext", FreeForm()),
            ("terminationMessagePath", Str("/dev/termination-log")),
            ("terminationMessagePolicy", OneOf("File", "FallbackToLogsOnError").Defaulting(JsonValue.Create("File"))))
            .Requiring("name", "image");
    }
}
