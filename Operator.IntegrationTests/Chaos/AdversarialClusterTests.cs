// Scenario 7: objects planted by someone else. A child-named object with no owner reference (even carrying our
// managed-by label) must never be overwritten or adopted; an object owned by another resource must never be
// taken over. The resource reports the conflict (NameConflict) and everything else of it converges.
using System.Diagnostics;
using Operator.Celery.Naming;
using Operator.Celery.Reconciliation;

namespace Operator.IntegrationTests.Chaos;

[Category("Chaos")]
public sealed class AdversarialClusterTests
{
    [Test]
    public async Task ForeignObjectsWithOurNamesAreNeverOverwrittenOrAdopted()
    {
        await using var op = await InProcessOperator.StartClusterAsync();
        var fleet = new CeleryFleet(op.Client, ChaosScale.Seed);
        await fleet.CreateNamespacesAsync(10);
        var ns = fleet.Namespaces[0];
        var names = new ChildNames("app-0");
        var unowned = PlantedDeployment(ns, names.WorkerDeployment("default"), owner: null);
        var otherOwner = await op.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "someone-else", NamespaceProperty = ns } }, ns);
        var adopted = PlantedDeployment(ns, names.BeatDeployment, new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = otherOwner.Metadata.Name, Uid = otherOwner.Metadata.Uid, Controller = true });
        var plantedUnowned = await op.Client.AppsV1.CreateNamespacedDeploymentAsync(unowned, ns);
        var plantedOwned = await op.Client.AppsV1.CreateNamespacedDeploymentAsync(adopted, ns);

        op.StartOperator();
        await fleet.CreateAsync(10);
        await op.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{\"spec\":{\"beat\":{\"enabled\":true},\"workers\":[{\"name\":\"default\",\"replicas\":2}]}}", V1Patch.PatchType.MergePatch),
            Operator.Celery.Model.CeleryResource.Group, Operator.Celery.Model.CeleryResource.Version, ns, Operator.Celery.Model.CeleryResource.Plural, "app-0");

        await Eventually.GetAsync(
            async () => (await ReadyReasonAsync(op, ns, "app-0")),
            reason => reason == CeleryConditions.Reasons.NameConflict,
            TimeSpan.FromSeconds(30),
            "app-0 reports the name conflict");
        var stopped = Stopwatch.StartNew();

        // Every other resource converges; app-0 is checked by hand below (its conflict is terminal by design).
        var foreign = new HashSet<string>(StringComparer.Ordinal)
        {
            ConvergenceCheck.ChildKey("Deployment", ns, plantedUnowned.Metadata.Name),
            ConvergenceCheck.ChildKey("Deployment", ns, plantedOwned.Metadata.Name),
        };
        await Eventually.GetAsync(
            () => new ConvergenceCheck(op.Client, foreign).RunAsync(),
            r => r.Problems.All(p => p.StartsWith($"{ns}/app-0:", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60),
            "every resource but app-0 converges");

        var writes = op.Session.Emulator.Audit.Writes(InProcessOperator.OperatorUser)
            .Where(e => e.Resource == "deployments" && e.Namespace == ns && (e.Name == plantedUnowned.Metadata.Name || e.Name == plantedOwned.Metadata.Name))
            .ToList();
        Assert.That(writes, Is.Empty, "the operator never wrote the planted objects");
        var afterUnowned = await op.Client.AppsV1.ReadNamespacedDeploymentAsync(plantedUnowned.Metadata.Name, ns);
        var afterOwned = await op.Client.AppsV1.ReadNamespacedDeploymentAsync(plantedOwned.Metadata.Name, ns);
        // The emulator's Deployment controller writes status, so compare what a writer of the spec would change.
        Assert.That(afterUnowned.Metadata.Generation, Is.EqualTo(plantedUnowned.Metadata.Generation));
        Assert.That(afterUnowned.Spec.Template.Spec.Containers.Single().Image, Is.EqualTo("someone/else:1"));
        Assert.That(afterUnowned.Metadata.OwnerReferences, Is.Null.Or.Empty, "not adopted");
        Assert.That(afterOwned.Metadata.Generation, Is.EqualTo(plantedOwned.Metadata.Generation));
        Assert.That(afterOwned.Spec.Template.Spec.Containers.Single().Image, Is.EqualTo("someone/else:1"));
        Assert.That(afterOwned.Metadata.OwnerReferences.Single().Uid, Is.EqualTo(otherOwner.Metadata.Uid), "still owned by its owner");
        Assert.That(op.Overlaps.Overlaps, Is.Empty);
        op.AssertRunning();
        TestContext.Out.WriteLine($"adversarial: 10 resources, 2 planted objects, converged (but app-0's conflict) {stopped.Elapsed.TotalSeconds:0.0}s after the last change");
    }

    private static async Task<string?> ReadyReasonAsync(InProcessOperator op, string ns, string name)
    {
        var list = await new ConvergenceCheck(op.Client).RunAsync();
        var problem = list.Problems.FirstOrDefault(p => p.StartsWith($"{ns}/{name}:", StringComparison.Ordinal));
        return problem is not null && problem.Contains(CeleryConditions.Reasons.NameConflict, StringComparison.Ordinal) ? CeleryConditions.Reasons.NameConflict : null;
    }

    private static V1Deployment PlantedDeployment(string ns, string name, V1OwnerReference? owner) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "celery-operator", ["planted"] = "true" },
            OwnerReferences = owner is null ? null : [owner],
        },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["planted"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["planted"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "someone/else:1" }] },
            },
        },
    };
}
