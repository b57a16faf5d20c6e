// `render` output is applied as it is: every object of every sample passes the API server's validation (the
// emulator enforces the built-in kinds' metadata rules and the CRDs' schemas, as kube-apiserver does), with the
// ownerReferences left out by default and carrying the owner's real uid with --owner-uid.
using System.Text.RegularExpressions;
using k8s;
using Operator.Celery.Crd;
using Operator.Celery.Model;
using Operator.Cli;
using Operator.IntegrationTests.Conformance;
using Operator.IntegrationTests.Emulator;
using Operator.IntegrationTests.Reconciliation;

namespace Operator.IntegrationTests.Packaging;

[NonParallelizable]
public sealed partial class RenderOutputTests
{
    private EmulatorSession session = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ManifestRenderer.RequireKubectl();
        session = await EmulatorSession.StartAsync();
        (await session.Kubectl.RunAsync("apply", "--server-side", "-f", RepositoryRoot.File(CeleryCustomResourceDefinition.RepositoryPath))).EnsureSuccess();
        await OperatorUnderTest.InstallKedaAsync(session.Kubectl);
        // The fleet sample renders a ServiceMonitor: a cluster without its CRD refuses it, as a real one would.
        await OperatorUnderTest.InstallPrometheusOperatorCrdsAsync(session.Kubectl);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (session is not null)
        {
            await session.DisposeAsync();
        }
    }

    [TestCaseSource(typeof(OfflineRender), nameof(OfflineRender.Samples))]
    public async Task WithoutAnOwnerUidTheOutputLeavesOwnerReferencesOutAndApplies(string sample)
    {
        var (exit, output, error) = await RenderAsync(sample);
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("# ownerReferences left out"));
        var manifests = ManifestSet.Parse(output);
        Assert.That(manifests.Documents, Is.Not.Empty);
        Assert.That(output, Does.Not.Contain("ownerReferences:"));
        await AssertServerAcceptsAsync(output, manifests);
    }

    [TestCaseSource(typeof(OfflineRender), nameof(OfflineRender.Samples))]
    public async Task WithTheOwnerUidEveryObjectIsOwnedByTheAppliedResourceAndApplies(string sample)
    {
        var resource = CeleryYaml.LoadResources(await File.ReadAllTextAsync(RepositoryRoot.File($"deploy/samples/{sample}"))).Single();
        var ns = resource.Metadata.NamespaceProperty ?? "default";
        await CreateNamespaceAsync(ns);
        (await session.Kubectl.RunAsync("apply", "--server-side", "-f", RepositoryRoot.File($"deploy/samples/{sample}"))).EnsureSuccess();
        var applied = await session.Client.CustomObjects.GetNamespacedCustomObjectAsync<System.Text.Json.JsonElement>(CeleryResource.Group, CeleryResource.Version, ns, CeleryResource.Plural, resource.Metadata.Name);
        var uid = applied.GetProperty("metadata").GetProperty("uid").GetString()!;

        var (exit, output, error) = await RenderAsync(sample, "--owner-uid", uid);
        Assert.That(exit, Is.Zero, error);
        var manifests = ManifestSet.Parse(output);
        Assert.That(OwnerUid().Matches(output).Select(m => m.Groups["uid"].Value).ToList(), Has.Count.EqualTo(manifests.Documents.Count).And.All.EqualTo(uid), "one ownerReference per object, naming the applied resource");
        await AssertServerAcceptsAsync(output, manifests);
    }

    [Test]
    public async Task AnOwnerUidNeedsExactlyOneResource()
    {
        var file = Path.GetTempFileName();
        try
        {
            var one = await File.ReadAllTextAsync(RepositoryRoot.File("deploy/samples/minimal.yaml"));
            await File.WriteAllTextAsync(file, one + "\n---\n" + one.Replace("name: hello", "name: hello-again", StringComparison.Ordinal));
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.That(await RenderFileAsync(["-f", file, "--owner-uid", "1234"], stdout, stderr), Is.EqualTo(2));
            Assert.That(stderr.ToString(), Does.Contain("--owner-uid names one Celery resource"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RenderAsync(string sample, params string[] extra)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await RenderFileAsync(["-f", RepositoryRoot.File($"deploy/samples/{sample}"), .. extra], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static Task<int> RenderFileAsync(string[] arguments, TextWriter stdout, TextWriter stderr) =>
        OperatorCommandLine.InvokeAsync(["render", .. arguments], stdout, stderr, (_, _) => throw new AssertionException("render started the operator"));

    private async Task AssertServerAcceptsAsync(string output, ManifestSet manifests)
    {
        foreach (var ns in manifests.Documents.Select(d => d.Namespace).OfType<string>().Distinct())
        {
            await CreateNamespaceAsync(ns);
        }

        var result = await session.Kubectl.RunWithInputAsync(output, "apply", "--server-side", "--dry-run=server", "-f", "-");
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(Regex.Matches(result.Output, "serverside-applied").Count, Is.EqualTo(manifests.Documents.Count), result.Output);
    }

    private async Task CreateNamespaceAsync(string name) =>
        (await session.Kubectl.RunWithInputAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n", "apply", "--server-side", "-f", "-")).EnsureSuccess();

    [GeneratedRegex(@"ownerReferences:\n(?:\s+[-a-zA-Z].*\n)*?\s+uid: (?<uid>\S+)")]
    private static partial Regex OwnerUid();
}
