// A stand-in for kube-controller-manager's Deployment controller: ReplicaSets but no Pods, and the status a finished
// rollout reports. Invariant: a Deployment whose status is behind its spec (observedGeneration, replica counts, or
// no revision yet) gets, after the configured delay, a ReplicaSet running its template (ReplicaSetRevisions: the new
// one scaled to spec.replicas and reported ready, the old ones scaled to 0, a ScalingReplicaSet Event per scaling),
// its new ReplicaSet's revision annotation, status replicas = ready = updated = available = spec.replicas,
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

            var newReplicaSet = SyncReplicaSets(obj);
            ReplicaSetRevisions.SetAnnotation(obj, ReplicaSetRevisions.RevisionAnnotation, ReplicaSetRevisions.Revision(newReplicaSet).ToString(System.Globalization.CultureInfo.InvariantCulture));
            obj["status"] = Status(obj, ObjectMetadata.Name(newReplicaSet)!);
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

    /// <summary>
    /// Makes the Deployment's ReplicaSets match it (see ReplicaSetRevisions) and returns the new one as stored.
    /// </summary>
    private JsonObject SyncReplicaSets(JsonObject deployment)
    {
        var replicaSets = service.Catalog.Find("apps", "v1", "replicasets")!;
        var inNamespace = ObjectMetadata.Namespace(deployment)!;
        var uid = ObjectMetadata.Uid(deployment)!;
        var template = deployment["spec"]?["template"];
        var desired = DesiredReplicas(deployment);
        var write = new WriteRequest(FieldManager);
        // Through the store's owner index: listing the namespace's ReplicaSets parsed every one of them for each
        // Deployment, which made a cluster full of other Deployments slow every rollout (issue 21's noise).
        var owned = service.Store.Snapshot.DependentsOf(uid)
            .Where(item => item.Type == replicaSets.Collection && item.Key.Namespace == inNamespace)
            .Select(item => item.ToJsonObject())
            .Where(rs => ReplicaSetRevisions.OwnedBy(rs, uid) && ObjectMetadata.DeletionTimestamp(rs) is null).ToList();
        var current = owned.FirstOrDefault(rs => ReplicaSetRevisions.RunsTemplate(rs, template));
        var others = owned.Where(rs => !ReferenceEquals(rs, current)).ToList();
        var nextRevision = (owned.Count == 0 ? 0 : owned.Max(ReplicaSetRevisions.Revision)) + 1;
        var events = new ControllerEvents(service, FieldManager, time);
        if (current is null)
        {
            current = service.Create(replicaSets, inNamespace, ReplicaSetRevisions.NewReplicaSet(deployment, nextRevision, desired, desired), write);
            events.Normal(deployment, "ScalingReplicaSet", $"Scaled up replica set {ObjectMetadata.Name(current)} from 0 to {desired}");
        }
        else
        {
            var previousReplicas = Number(current["spec"]?["replicas"]);
            var changed = previousReplicas != desired;
            if (ReplicaSetRevisions.Revision(current) < nextRevision - 1)
            {
                // A rollback to this template: it becomes the newest revision, remembering the one it had.
                ReplicaSetRevisions.SetAnnotation(current, ReplicaSetRevisions.RevisionHistoryAnnotation, ReplicaSetRevisions.Revision(current).ToString(System.Globalization.CultureInfo.InvariantCulture));
                ReplicaSetRevisions.SetAnnotation(current, ReplicaSetRevisions.RevisionAnnotation, nextRevision.ToString(System.Globalization.CultureInfo.InvariantCulture));
                changed = true;
            }

            if (changed)
            {
                current["spec"]!["replicas"] = desired;
                ReplicaSetRevisions.SetAnnotation(current, ReplicaSetRevisions.DesiredReplicasAnnotation, desired.ToString(System.Globalization.CultureInfo.InvariantCulture));
                current = service.Update(replicaSets, inNamespace, ObjectMetadata.Name(current)!, null, current, write);
                if (previousReplicas != desired)
                {
                    events.Normal(deployment, "ScalingReplicaSet", $"Scaled {(desired > previousReplicas ? "up" : "down")} replica set {ObjectMetadata.Name(current)} from {previousReplicas} to {desired}");
                }
            }
        }

        current = ReportReady(replicaSets, current, write);
        foreach (var old in others.Where(rs => Number(rs["spec"]?["replicas"]) > 0))
        {
            var before = Number(old["spec"]?["replicas"]);
            old["spec"]!["replicas"] = 0;
            ReportReady(replicaSets, service.Update(replicaSets, inNamespace, ObjectMetadata.Name(old)!, null, old, write), write);
            events.Normal(deployment, "ScalingReplicaSet", $"Scaled down replica set {ObjectMetadata.Name(old)} from {before} to 0");
        }

        var limit = deployment["spec"]?["revisionHistoryLimit"] is { } setLimit ? Number(setLimit) : ReplicaSetRevisions.DefaultRevisionHistoryLimit;
        foreach (var expired in others.OrderByDescending(ReplicaSetRevisions.Revision).Skip((int)Math.Max(0, limit)))
        {
            service.Delete(replicaSets, inNamespace, ObjectMetadata.Name(expired)!, new DeleteRequest());
        }

        return current;
    }

    /// <summary>Reports a ReplicaSet's replicas as all ready and available (there are no Pods to wait for).</summary>
    private JsonObject ReportReady(Discovery.ResourceType replicaSets, JsonObject replicaSet, WriteRequest write)
    {
        var replicas = Number(replicaSet["spec"]?["replicas"]);
        var status = new JsonObject { ["replicas"] = replicas, ["observedGeneration"] = ObjectMetadata.Generation(replicaSet) };
        if (replicas > 0)
        {
            status["fullyLabeledReplicas"] = replicas;
            status["readyReplicas"] = replicas;
            status["availableReplicas"] = replicas;
        }

        if (JsonNode.DeepEquals(status, replicaSet["status"]))
        {
            return replicaSet;
        }

        replicaSet["status"] = status;
        return service.Update(replicaSets, ObjectMetadata.Namespace(replicaSet)!, ObjectMetadata.Name(replicaSet)!, "status", replicaSet, write);
    }

    private static bool IsBehind(JsonObject obj)
    {
        var status = obj["status"];
        var replicas = DesiredReplicas(obj);
        return ObjectMetadata.DeletionTimestamp(obj) is null
            && (ReplicaSetRevisions.Revision(obj) == 0
                || Number(status?["observedGeneration"]) != ObjectMetadata.Generation(obj)
                || Number(status?["replicas"]) != replicas
                || Number(status?["readyReplicas"]) != replicas
                || Number(status?["availableReplicas"]) != replicas
                || Number(status?["updatedReplicas"]) != replicas);
    }

    private JsonObject Status(JsonObject obj, string replicaSet)
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
