// The operator as a cluster runs it: an API emulator that authorizes every request by RBAC (as kube-apiserver does
// with --authorization-mode=RBAC), the shipped roles and bindings installed into it by kubectl as an administrator
// would, and the operator host (leader election on) authenticating as its service account, nothing more. What the
// roles do not grant, the operator cannot do: the emulator answers 403 and records the refusal. Its metrics are
// served as shipped (HTTPS, callers reviewed with the API server), so a scrape exercises the review permissions.
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Operator.Celery;
using Operator.Celery.Crd;
using Operator.Emulator.Authorization;
using Operator.Emulator.Hosting;
using Operator.IntegrationTests.Reconciliation;
using Operator.Runtime.Hosting;

namespace Operator.IntegrationTests.Packaging;

internal sealed class RbacEnforcedOperator : IAsyncDisposable
{
    private static readonly string[] RbacKinds = ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ServiceAccount"];

    private readonly WebApplication app;
    private readonly ManifestSet manifests;

    private RbacEnforcedOperator(EmulatorSession session, WebApplication app, string user, ManifestSet manifests)
    {
        Session = session;
        this.app = app;
        User = user;
        this.manifests = manifests;
    }

    /// <summary>The plain-HTTP probe port.</summary>
    public Uri ProbeUrl => app.Services.GetRequiredService<OperatorListeners>().ProbeUrl;

    /// <summary>The HTTPS metrics port.</summary>
    public Uri MetricsUrl => app.Services.GetRequiredService<OperatorListeners>().MetricsUrl;

    public EmulatorSession Session { get; }

    /// <summary>The operator's user: system:serviceaccount:{namespace}:{name}.</summary>
    public string User { get; }

    public KubectlRunner Kubectl => Session.Kubectl;

    /// <summary>Every authorization decision made for the operator's requests.</summary>
    public IReadOnlyList<AuthorizationDecision> Decisions => Session.Emulator.Authorization.Decisions.Where(d => d.Request.User.Name == User);

    /// <summary>The operator's requests that were refused, one line each.</summary>
    public IReadOnlyList<string> Refusals => [.. Decisions.Where(d => !d.Allowed).Select(d => d.Request.ToString()).Distinct()];

    /// <summary>
    /// Starts the emulator, installs the Celery, KEDA and ServiceMonitor CRDs, <paramref name="namespaces"/> and the RBAC objects of
    /// <paramref name="manifests"/>, then the operator as service account <paramref name="serviceAccount"/> of
    /// <paramref name="operatorNamespace"/>, watching <paramref name="watchNamespaces"/> (all when empty).
    /// </summary>
    public static async Task<RbacEnforcedOperator> StartAsync(
        ManifestSet manifests, string operatorNamespace, string serviceAccount, IReadOnlyList<string> namespaces, IReadOnlyList<string>? watchNamespaces = null, params string[] extraArguments)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        if (KubectlRunner.Missing is { } missing)
        {
            Assert.Ignore(missing);
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
            await OperatorUnderTest.InstallPrometheusOperatorCrdsAsync(session.Kubectl);
            var rbac = manifests.Documents.Where(d => RbacKinds.Contains(d.Kind)).ToList();
            var allNamespaces = namespaces.Append(operatorNamespace).Concat(rbac.Select(d => d.Namespace).OfType<string>()).Distinct(StringComparer.Ordinal);
            var namespaceYaml = string.Join("---\n", allNamespaces.Select(ns => $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n"));
            (await session.Kubectl.RunWithInputAsync(namespaceYaml, "apply", "--server-side", "-f", "-")).EnsureSuccess();
            (await session.Kubectl.RunWithInputAsync(string.Join("\n---\n", rbac.Select(d => d.Yaml)), "apply", "--server-side", "-f", "-")).EnsureSuccess();

            var user = $"{UserInfo.ServiceAccountPrefix}{operatorNamespace}:{serviceAccount}";
            var arguments = new List<string>
            {
                $"--Operator:Kubernetes:KubeConfigPath={session.KubeconfigFor(user)}", "--Operator:ProbePort=0", "--Operator:Metrics:Port=0", "--Operator:BindAddress=127.0.0.1", "--Operator:LogFormat=Text",
                "--Operator:LeaderElection:Enabled=true", $"--Operator:LeaderElection:LeaseNamespace={operatorNamespace}",
                "--Operator:LeaderElection:RetryPeriod=00:00:00.2", "--Operator:ShutdownTimeout=00:00:05",
                "--Celery:KedaRecheckInterval=00:00:00.5", "--Celery:Events:RepeatWriteInterval=00:00:00.05",
            };
            arguments.AddRange((watchNamespaces ?? []).Select((ns, i) => $"--Operator:Namespaces:{i}={ns}"));
            arguments.AddRange(extraArguments);
            var app = OperatorHost.Build([.. arguments], CeleryControllerModule.Register);
            await app.StartAsync();
            return new RbacEnforcedOperator(session, app, user, manifests);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Issues <paramref name="user"/> a token (the emulator's: its name) and, as an administrator would with kubectl,
    /// binds it to the shipped ClusterRole that grants <c>get</c> on <c>/metrics</c>.
    /// </summary>
    public async Task GrantMetricsReaderAsync(string user)
    {
        Session.KubeconfigFor(user);
        var reader = manifests.Of<V1ClusterRole>().Single(r => (r.Rules ?? []).Any(rule => (rule.NonResourceURLs ?? []).Contains(PrometheusExport.Path)));
        var binding = $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: metrics-reader-{Guid.NewGuid():N}\n"
            + $"roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: {reader.Metadata.Name}\n"
            + $"subjects:\n  - apiGroup: rbac.authorization.k8s.io\n    kind: User\n    name: \"{user}\"\n";
        (await ApplyAsync(binding)).EnsureSuccess();
    }

    /// <summary>GET /metrics over HTTPS (the self-signed certificate not verified), with <paramref name="token"/> as bearer token when given.</summary>
    public async Task<(int Code, string Body)> ScrapeMetricsAsync(string? token)
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(MetricsUrl, PrometheusExport.Path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
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
        JsonNode? condition = null;
        await Eventually.TrueAsync(
            async () => (condition = await ConditionAsync(@namespace, name, type))?["status"]?.GetValue<string>() == status,
            $"{@namespace}/{name} has {type}={status}",
            timeout ?? TimeSpan.FromSeconds(60),
            () => $"{condition?.ToJsonString() ?? "none"}; the operator was refused: {string.Join("; ", Refusals)}");
        return condition!;
    }

    /// <summary>Waits until <paramref name="probe"/> holds; on timeout, fails naming what the operator was refused.</summary>
    public Task WaitUntilAsync(Func<bool> probe, string what, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(probe, what, timeout ?? TimeSpan.FromSeconds(60), () => $"the operator was refused: {string.Join("; ", Refusals)}");

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
