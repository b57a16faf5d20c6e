// The Celery operator in-process on an in-process emulator, as the reconciliation and chaos suites run it: an
// emulator with a simulated Deployment controller, the Celery CRD installed by kubectl (as a user would) and KEDA's
// CRDs, and the controller module running as user "celery-operator" with short intervals so tests stay fast.
// The one place an in-process harness builds and runs the module; each harness adds its own instruments.
using Microsoft.Extensions.Logging;
using Operator.Celery;
using Operator.Celery.Crd;
using Operator.Celery.Reconciliation;
using Operator.Emulator.Hosting;
using Operator.Runtime.Metrics;
using Operator.Runtime.Reconcile;

namespace Operator.IntegrationTests.Reconciliation;

/// <summary>Starting an emulator for the Celery operator, and the operator in-process on it.</summary>
internal static class CeleryOnEmulator
{
    public const string OperatorUser = "celery-operator";

    /// <summary>An emulator of its own with the Celery CRD and, when asked, KEDA's CRDs installed.</summary>
    public static async Task<EmulatorSession> StartClusterAsync(bool installKeda = true)
    {
        var session = await EmulatorSession.StartAsync(new EmulatorOptions { DeploymentControllerDelay = TimeSpan.FromMilliseconds(100) });
        try
        {
            (await session.Kubectl.RunAsync("apply", "--server-side", "-f", Path.Combine(RepositoryRoot.Path, CeleryCustomResourceDefinition.RepositoryPath))).EnsureSuccess();
            if (installKeda)
            {
                await InstallKedaAsync(session.Kubectl);
            }

            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public static async Task InstallKedaAsync(KubectlRunner kubectl) =>
        (await kubectl.RunAsync("apply", "--server-side", "-f", Path.Combine(AppContext.BaseDirectory, "Reconciliation", "keda-crds.yaml"))).EnsureSuccess();

    /// <summary>Four workers, no resync unless given, a 5 s shutdown and KEDA rechecked every 500 ms.</summary>
    public static CeleryControllerSettings FastSettings(TimeSpan? resync = null) => new()
    {
        Controller = new ControllerOptions { MaxConcurrentReconciles = 4, ResyncPeriod = resync ?? TimeSpan.Zero, ShutdownTimeout = TimeSpan.FromSeconds(5) },
        Reconciler = new CeleryReconcilerOptions { KedaRecheckInterval = TimeSpan.FromMilliseconds(500) },
    };

    /// <summary>The module as <see cref="OperatorUser"/>, its informers and controller running until <paramref name="stop"/>.</summary>
    public static (CeleryControllerModule Module, Task Running) Run(k8s.Kubernetes operatorClient, CeleryControllerSettings settings, ILoggerFactory loggers, RuntimeMetrics metrics, CancellationToken stop)
    {
        var module = new CeleryControllerModule(operatorClient, settings, loggers, metrics: metrics);
        return (module, Task.WhenAll([.. module.Informers.Select(i => i.RunAsync(stop)), module.RunAsLeaderAsync(stop)]));
    }
}
