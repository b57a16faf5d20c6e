// A stand-in for kube-controller-manager's Deployment controller: no ReplicaSets or Pods, only the status a
// finished rollout reports. Invariant: a Deployment whose status is behind its spec (observedGeneration or replica
// counts) gets, after the configured delay, status replicas = ready = updated = available = spec.replicas,
// observedGeneration = generation, and Available/Progressing conditions True. One pending update per Deployment.
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Operator.Emulator.Api;
using Operator.Emulator.Discovery;
using Operator.Emulator.Storage;

namespace Operator.Emulator.Controllers;

/// <summary>Reports Deployment rollouts as complete after a delay.</summary>
public sealed class DeploymentController(ResourceService service, TimeSpan delay, TimeProvider time, ILogger<DeploymentController> logger)
{
    public const string FieldManager = "deployment-controller";

    private readonly ConcurrentDictionary<ObjectKey, byte> scheduled = new();
    private long seen;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var type = service.Catalog.Find("apps", "v1", "deployments")!;
        using var changes = service.Store.Subscribe(type.Collection, null, null);
        try
        {
            foreach (var change in changes.Replay)
            {
                Consider(type, change, cancellationToken);
            }

            await foreach (var change in changes.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Consider(type, change, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void Consider(ResourceType type, WatchEvent change, CancellationToken cancellationToken)
    {
        Volatile.Write(ref seen, change.ResourceVersion);
        if (change.Type == WatchEventType.Deleted || !IsBehind(change.Object.ToJsonObject()) || !scheduled.TryAdd(change.Object.Key, 0))
        {
            return;
        }

        _ = ReconcileLaterAsync(type, change.Object.Key, cancellationToken);
    }

    private async Task ReconcileLaterAsync(ResourceType type, ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            scheduled.TryRemove(key, out _);
            // Every event seen so far must be reflected: a change that arrived while this pass was scheduled is
            // judged here, not by a pass of its own.
            var current = service.Store.SnapshotIncluding(Volatile.Read(ref seen)).Get(type.Collection, key);
            if (current is null)
            {
                return;
            }

            var obj = current.ToJsonObject();
            if (!IsBehind(obj))
            {
                return;
            }

            obj["status"] = Status(obj, current);
            service.Update(type, key.Namespace, key.Name, "status", obj, new WriteRequest(FieldManager));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (ApiException error)
        {
            // A newer write won the race; its own event schedules another pass.
            logger.LogDebug("Deployment {Key} status update skipped: {Reason}", key, error.Message);
        }
    }

    private static bool IsBehind(JsonObject obj)
    {
        var status = obj["status"];
        var replicas = DesiredReplicas(obj);
        return ObjectMetadata.DeletionTimestamp(obj) is null
            && (Number(status?["observedGeneration"]) != ObjectMetadata.Generation(obj)
                || Number(status?["replicas"]) != replicas
                || Number(status?["readyReplicas"]) != replicas
                || Number(status?["availableReplicas"]) != replicas
                || Number(status?["updatedReplicas"]) != replicas);
    }

    private JsonObject Status(JsonObject obj, StoredObject current)
    {
        var replicas = DesiredReplicas(obj);
        var now = ObjectMetadata.Timestamp(time.GetUtcNow());
        var status = new JsonObject { ["observedGeneration"] = ObjectMetadata.Generation(obj) };
        if (replicas > 0)
        {
            status["replicas"] = replicas;
            status["updatedReplicas"] = replicas;
            status["readyReplicas"] = replicas;
            status["availableReplicas"] = replicas;
        }

        var hash = current.Uid.Replace("-", string.Empty, StringComparison.Ordinal);
        var replicaSet = $"{current.Key.Name}-{hash[..Math.Min(10, hash.Length)]}";
        status["conditions"] = new JsonArray(
            Condition(obj, "Available", "MinimumReplicasAvailable", "Deployment has minimum availability.", now),
            Condition(obj, "Progressing", "NewReplicaSetAvailable", $"ReplicaSet \"{replicaSet}\" has successfully progressed.", now));
        return status;
    }

    private static JsonObject Condition(JsonObject obj, string type, string reason, string message, string now)
    {
        var previous = (obj["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(condition => condition["type"]?.GetValue<string>() == type);
        var unchanged = previous?["status"]?.GetValue<string>() == "True";
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastUpdateTime"] = now,
            ["lastTransitionTime"] = unchanged ? previous!["lastTransitionTime"]?.DeepClone() : now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    private static long DesiredReplicas(JsonObject obj) => obj["spec"]?["replicas"] is null ? 1 : Number(obj["spec"]!["replicas"]);

    private static long Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;
}
