// The operator as a cluster runs it: an API emulator that authorizes every request by RBAC (as kube-apiserver does
// with --authorization-mode=RBAC), the shipped roles and bindings installed into it by kubectl as an administrator
// would, and the operator host (leader election on) authenticating as its service account, nothing more. What the
// roles do not grant, the operator cannot do: the emulator answers 403 and records the refusal.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Operator.Celery;
using Operator.Celery.Crd;
using Operator.Emulator.Authorization;
using Operator.Emulator.Hosting;
using Operator.IntegrationTests.Emulator;
using Operator.IntegrationTests.Reconciliation;
using Operator.Runtime.Hosting;

namespace Operator.IntegrationTests.Packaging;

internal sealed class RbacEnforcedOperator : IAsyncDisposable
{
    private static readonly string[] RbacKinds = ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ServiceAccount"];

    private readonly WebApplication app;

    private RbacEnforcedOperator(EmulatorSession session, WebApplication app, string user)
    {
        Session = session;
        this.app = app;
        User = user;
    }

    public EmulatorSession Session { get; }

    /// <summary>The operator's user: system:serviceaccount:{namespace}:{name}.</summary>
    public string User { get; }

    public KubectlRunner Kubectl => Session.Kubectl;

    /// <summary>Every authorization decision made for the operator's requests.</summary>
    public IReadOnlyList<AuthorizationDecision> Decisions => Session.Emulator.Authorization.Decisions.Where(d => d.Request.User.Name == User);

    /// <summary>The operator's requests that were refused, one line each.</summary>
    public IReadOnlyList<string> Refusals => [.. Decisions.Where(d => !d.Allowed).Select(d => d.Request.ToString()).Distinct()];

    /// <summary>
    /// Starts the emulator, installs the Celery and KEDA CRDs, <paramref name="namespaces"/> and the RBAC objects of
    /// <paramref name="manifests"/>, then the operator as service account <paramref name="serviceAccount"/> of
    /// <paramref name="operatorNamespace"/>, watching <paramref name="watchNamespaces"/> (all when empty).
    /// </summary>
    public static async Task<RbacEnforcedOperator> StartAsync(
        ManifestSet manifests, string operatorNamespace, string serviceAccount, IReadOnlyList<string> namespaces, IReadOnlyList<string>? watchNamespaces = null)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        if (!KubectlRunner.Installed)
        {
            Assert.Ignore("kubectl is not installed");
        }

        var session = await EmulatorSession.StartAsync(new EmulatorOptions
        {
            Authorization = AuthorizationMode.Rbac,
            DeploymentControllerDelay = TimeSpan.FromMilliseconds(50),
        });
        try
        {
            (await session.Kubectl.RunAsync("apply", "--server-side", "-f", RepositoryRoot.File(CeleryCustomResourceDefinition.RepositoryPath))).EnsureSuccess();
            await OperatorUnderTest.InstallKedaAsync(session.Kubectl);
            var rbac = manifests.Documents.Where(d => RbacKinds.Contains(d.Kind)).ToList();
            var allNamespaces = namespaces.Append(operatorNamespace).Concat(rbac.Select(d => d.Namespace).OfType<string>()).Distinct(StringComparer.Ordinal);
            var namespaceYaml = string.Join("---\n", allNamespaces.Select(ns => $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n"));
            (await session.Kubectl.RunWithInputAsync(namespaceYaml, "apply", "--server-side", "-f", "-")).EnsureSuccess();
            (await session.Kubectl.RunWithInputAsync(string.Join("\n---\n", rbac.Select(d => d.Yaml)), "apply", "--server-side", "-f", "-")).EnsureSuccess();

            var user = $"{UserInfo.ServiceAccountPrefix}{operatorNamespace}:{serviceAccount}";
            var arguments = new List<string>
            {
                $"--Operator:Kubernetes:KubeConfigPath={session.KubeconfigFor(user)}", "--Operator:Port=0", "--Operator:BindAddress=127.0.0.1", "--Operator:LogFormat=Text",
                "--Operator:LeaderElection:Enabled=true", $"--Operator:LeaderElection:LeaseNamespace={operatorNamespace}",
                "--Operator:LeaderElection:RetryPeriod=00:00:00.2", "--Operator:ShutdownTimeout=00:00:05",
                "--Celery:KedaRecheckInterval=00:00:00.5", "--Celery:Events:RepeatWriteInterval=00:00:00.05",
            };
            arguments.AddRange((watchNamespaces ?? []).Select((ns, i) => $"--Operator:Namespaces:{i}={ns}"));
            var app = OperatorHost.Build([.. arguments], CeleryControllerModule.Register);
            await app.StartAsync();
            return new RbacEnforcedOperator(session, app, user);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public Task<KubectlResult> ApplyAsync(string yaml) => Kubectl.RunWithInputAsync(yaml, "apply", "--server-side", "-f", "-");

    public async Task<JsonNode?> StatusAsync(string @namespace, string name)
    {
        var result = await Kubectl.RunAsync("get", "celery", name, "-n", @namespace, "-o", "json");
        return result.ExitCode == 0 ? JsonNode.Parse(result.Output)?["status"] : null;
    }

    /// <summary>The condition of that type on the resource's status, if any.</summary>
    public async Task<JsonNode?> ConditionAsync(string @namespace, string name, string type) =>
        ((await StatusAsync(@namespace, name))?["conditions"] as JsonArray)?.FirstOrDefault(c => c?["type"]?.GetValue<string>() == type);

    /// <summary>Waits for the condition to have <paramref name="status"/>; on timeout, fails naming what the operator was refused.</summary>
    public async Task<JsonNode> WaitForConditionAsync(string @namespace, string name, string type, string status, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        JsonNode? condition;
        while ((condition = await ConditionAsync(@namespace, name, type))?["status"]?.GetValue<string>() != status)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"{@namespace}/{name} never had {type}={status} (last: {condition?.ToJsonString() ?? "none"}); the operator was refused: {string.Join("; ", Refusals)}");
            }

            await Task.Delay(100);
        }

        return condition!;
    }

    /// <summary>Waits until <paramref name="probe"/> holds; on timeout, fails naming what the operator was refused.</summary>
    public async Task WaitUntilAsync(Func<bool> probe, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!probe())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"{what} did not happen before the deadline; the operator was refused: {string.Join("; ", Refusals)}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await app.StopAsync();
        }
        finally
        {
            await app.DisposeAsync();
            await Session.DisposeAsync();
        }
    }
}
