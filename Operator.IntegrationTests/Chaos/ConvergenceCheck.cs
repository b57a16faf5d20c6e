// The check every chaos scenario ends with, read from the API server (never from the operator's caches):
//  - every valid resource reports Ready=True for its latest generation; an invalid one reports Ready=False with
//    reason InvalidSpec and a message naming each offending field; one whose broker cannot be read reports that
//    reason, naming the Secret reference's field;
//  - the children of each resource (objects whose controller owner reference is its uid, KEDA's ScaledObjects and
//    TriggerAuthentications and the derived broker Secret included) are exactly the objects
//    the operator's desired-state builder derives from the resource's latest spec and Secrets: none missing, none
//    extra, and each live child holds every desired field with the desired value;
//  - no object carrying the operator's managed-by label exists without a live owner (orphans or duplicates),
//    except objects the scenario planted itself (foreign objects).
// Invariant: the check is a pure function of one read of the cluster; it reports every problem it finds.
using System.Text.Json;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.Celery.Validation;
using Operator.Keda;

namespace Operator.IntegrationTests.Chaos;

/// <summary>Reads the cluster and lists every way it differs from the converged state.</summary>
internal sealed class ConvergenceCheck(Kubernetes client, IReadOnlySet<string>? foreignObjects = null)
{
    private static readonly string ManagedBy = $"{CeleryLabels.ManagedBy}={CeleryLabels.ManagerName}";

    /// <summary>The problems found; empty when the cluster has converged.</summary>
    public async Task<ConvergenceReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var celeries = await ListCeleriesAsync(cancellationToken);
        var secrets = (await client.CoreV1.ListSecretForAllNamespacesAsync(cancellationToken: cancellationToken)).Items
            .ToDictionary(s => (s.Metadata.NamespaceProperty, s.Metadata.Name), s => s);
        var live = await ListChildrenAsync(cancellationToken);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var ready = 0;
        var invalid = 0;
        var satisfied = new HashSet<string>(StringComparer.Ordinal);

        foreach (var celery in celeries)
        {
            var ns = celery.Metadata.NamespaceProperty;
            var id = $"{ns}/{celery.Metadata.Name}";
            var condition = celery.Status?.Conditions?.FirstOrDefault(c => c.Type == CeleryConditions.Ready);
            var current = condition?.ObservedGeneration == celery.Metadata.Generation;
            var owned = live.Where(c => c.Value.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == celery.Metadata.Uid) == true)
                .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
            claimed.UnionWith(owned.Keys);

            var violations = CeleryValidator.Validate(celery);
            if (violations.Count > 0)
            {
                invalid++;
                if (!current || condition?.Status != "False" || condition.Reason != CeleryConditions.Reasons.InvalidSpec)
                {
                    problems.Add($"{id}: invalid spec but Ready is {condition?.Status}/{condition?.Reason} (current generation: {current})");
                }
                else if (violations.FirstOrDefault(v => !condition.Message.Contains(v.Field, StringComparison.Ordinal)) is { } unnamed)
                {
                    problems.Add($"{id}: InvalidSpec message does not name field {unnamed.Field}: {condition.Message}");
                }

                problems.AddRange(owned.Keys.Select(k => $"{id}: invalid resource has child {k}"));
                continue;
            }

            var (broker, brokerProblems) = BrokerResolver.Resolve(celery, name => secrets.GetValueOrDefault((ns, name)));
            var expectedReason = brokerProblems.FirstOrDefault()?.Reason;
            if (expectedReason is null)
            {
                if (!current || condition?.Status != "True")
                {
                    problems.Add($"{id}: not Ready for generation {celery.Metadata.Generation}: {condition?.Status}/{condition?.Reason} observed {condition?.ObservedGeneration}: {condition?.Message}");
                }
                else
                {
                    ready++;
                }
            }
            else if (!current || condition?.Reason != expectedReason)
            {
                problems.Add($"{id}: expected Ready reason {expectedReason}, got {condition?.Status}/{condition?.Reason}");
            }
            else if (brokerProblems[0].Message.Split(':')[0] is var field && !condition.Message.Contains(field, StringComparison.Ordinal))
            {
                problems.Add($"{id}: {expectedReason} message does not name field {field}: {condition.Message}");
            }

            foreach (var desired in DesiredStateBuilder.Build(celery, broker).Objects)
            {
                var key = ChildKey(desired.Kind, desired.Metadata.NamespaceProperty ?? ns, desired.Metadata.Name);
                if (!owned.Remove(key, out var actual))
                {
                    problems.Add($"{id}: missing child {key}");
                    continue;
                }

                if (AppliedFieldsComparer.FirstDifference(ToNode(desired), ToNode(actual), "") is { } difference)
                {
                    problems.Add($"{id}: child {key} differs from the latest spec at {difference}");
                }
                else
                {
                    satisfied.Add(key);
                }
            }

            problems.AddRange(owned.Keys.Select(k => $"{id}: extra child {k}"));
        }

        foreach (var orphan in live.Keys.Where(k => !claimed.Contains(k) && foreignObjects?.Contains(k) != true))
        {
            problems.Add($"orphaned or duplicate child {orphan} (managed-by label, no live owner)");
        }

        return new ConvergenceReport(celeries.Count, ready, invalid, live.Count, problems, satisfied);
    }

    public static string ChildKey(string kind, string ns, string name) => $"{kind}/{ns}/{name}";

    private async Task<List<CeleryResource>> ListCeleriesAsync(CancellationToken cancellationToken)
    {
        var list = await client.CustomObjects.ListClusterCustomObjectAsync<JsonElement>(CeleryResource.Group, CeleryResource.Version, CeleryResource.Plural, cancellationToken: cancellationToken);
        return [.. list.GetProperty("items").EnumerateArray().Select(item => KubernetesJson.Deserialize<CeleryResource>(item.GetRawText()))];
    }

    private async Task<Dictionary<string, IKubernetesObject<V1ObjectMeta>>> ListChildrenAsync(CancellationToken cancellationToken)
    {
        var children = new List<IKubernetesObject<V1ObjectMeta>>();
        children.AddRange((await client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: ManagedBy, cancellationToken: cancellationToken)).Items.Select(Kinded<V1Deployment>("Deployment")));
        children.AddRange((await client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: ManagedBy, cancellationToken: cancellationToken)).Items.Select(Kinded<V1Service>("Service")));
        children.AddRange((await client.NetworkingV1.ListIngressForAllNamespacesAsync(labelSelector: ManagedBy, cancellationToken: cancellationToken)).Items.Select(Kinded<V1Ingress>("Ingress")));
        children.AddRange((await client.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(labelSelector: ManagedBy, cancellationToken: cancellationToken)).Items.Select(Kinded<V1PodDisruptionBudget>("PodDisruptionBudget")));
        children.AddRange((await client.AutoscalingV2.ListHorizontalPodAutoscalerForAllNamespacesAsync(labelSelector: ManagedBy, cancellationToken: cancellationToken)).Items.Select(Kinded<V2HorizontalPodAutoscaler>("HorizontalPodAutoscaler")));
        children.AddRange((await client.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: ManagedBy, cancellationToken: cancellationToken)).Items.Select(Kinded<V1Secret>("Secret")));
        children.AddRange((await ListKedaAsync<ScaledObject>(ScaledObject.Plural, cancellationToken)).Select(Kinded<ScaledObject>(ScaledObject.KindValue)));
        children.AddRange((await ListKedaAsync<TriggerAuthentication>(TriggerAuthentication.Plural, cancellationToken)).Select(Kinded<TriggerAuthentication>(TriggerAuthentication.KindValue)));
        return children.ToDictionary(c => ChildKey(c.Kind, c.Metadata.NamespaceProperty, c.Metadata.Name), StringComparer.Ordinal);
    }

    // KEDA's kinds (ScaledObject, TriggerAuthentication) are custom resources: every chaos cluster installs their CRDs.
    private async Task<IEnumerable<T>> ListKedaAsync<T>(string plural, CancellationToken cancellationToken)
    {
        var list = await client.CustomObjects.ListClusterCustomObjectAsync<JsonElement>(ScaledObject.Group, ScaledObject.Version, plural, labelSelector: ManagedBy, cancellationToken: cancellationToken);
        return [.. list.GetProperty("items").EnumerateArray().Select(item => KubernetesJson.Deserialize<T>(item.GetRawText()))];
    }

    // List items arrive without kind; the key and the comparison need it.
    private static Func<T, IKubernetesObject<V1ObjectMeta>> Kinded<T>(string kind)
        where T : IKubernetesObject<V1ObjectMeta> => item =>
        {
            item.Kind = kind;
            return item;
        };

    private static JsonNode? ToNode(object value)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(value));
        // apiVersion is not sent on list items by every server, and the kind was set above; neither is spec.
        if (node is JsonObject obj)
        {
            obj.Remove("apiVersion");
        }

        return node;
    }
}

/// <summary>What one convergence check found.</summary>
/// <param name="Satisfied">Children (kind/namespace/name) that already hold everything their latest spec asks for.</param>
internal sealed record ConvergenceReport(int Resources, int Ready, int Invalid, int Children, IReadOnlyList<string> Problems, IReadOnlySet<string> Satisfied)
{
    public bool Converged => Problems.Count == 0;

    public override string ToString() =>
        $"{Resources} resources, {Ready} Ready, {Invalid} invalid, {Children} children, {Problems.Count} problems{(Problems.Count > 0 ? ": " + string.Join("; ", Problems.Take(10)) : "")}";
}
