// The test kit's OperatorProcess as the integration tests start it: the built operator at this test run's
// configuration, text logs at Information, each process on the emulator with its own kubeconfig naming its own
// emulator user (so the audit log tells instances apart) which is also its leader identity and the bearer token its
// metrics are scraped with (the emulator's TokenReview authenticates it); leader election timed short enough for
// fail-over tests to run in seconds.
using Operator.Emulator.Hosting;
using Operator.IntegrationTests.Hosting;

namespace Operator.IntegrationTests.Chaos;

/// <summary>Starting and reading an <see cref="OperatorProcess"/> in the integration tests.</summary>
internal static class OperatorProcessOnEmulator
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Renew = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    extension(OperatorProcess)
    {
        public static TimeSpan LeaseDuration => Lease;

        public static TimeSpan RenewDeadline => Renew;

        public static TimeSpan RetryPeriod => Retry;

        /// <summary>The longest pause between two campaign attempts: client-go jitters the retry period by up to 1.2x.</summary>
        public static TimeSpan JitteredRetryPeriod => Retry * 2.2;

        /// <summary>
        /// The operator on <paramref name="emulator"/> as <paramref name="user"/>, electing a leader in the default
        /// namespace, with <paramref name="settings"/> (command-line configuration) added after the defaults.
        /// </summary>
        public static OperatorProcess Start(KubernetesEmulator emulator, string user, IEnumerable<string>? settings = null)
        {
            var kubeconfig = Path.Combine(Path.GetTempPath(), $"operator-{user}-{Guid.NewGuid():N}.yaml");
            emulator.WriteKubeconfig(kubeconfig, user);
            return OperatorProcess.StartOnCluster(kubeconfig, user, ownsKubeconfig: true,
            [
                "--Operator:MaxConcurrentReconciles=4", "--Operator:ResyncPeriod=00:00:00", "--Operator:ShutdownTimeout=00:00:10",
                "--Operator:LeaderElection:Enabled=true", "--Operator:LeaderElection:LeaseNamespace=default",
                $"--Operator:LeaderElection:LeaseDuration={Lease:c}", $"--Operator:LeaderElection:RenewDeadline={Renew:c}", $"--Operator:LeaderElection:RetryPeriod={Retry:c}",
                // The fleet's brokers resolve nowhere; see InProcessOperator for why the backlog reader is off here
                // unless the settings that follow turn it on (a later setting wins).
                "--Operator:Backlog:Enabled=false",
                .. settings ?? [],
            ]);
        }

        /// <summary>
        /// The operator against the cluster <paramref name="kubeconfig"/> reaches, as <paramref name="identity"/>, with
        /// <paramref name="settings"/> added to its command line; the kubeconfig is deleted on disposal only when
        /// <paramref name="ownsKubeconfig"/>.
        /// </summary>
        public static OperatorProcess StartOnCluster(string kubeconfig, string identity, bool ownsKubeconfig, IEnumerable<string> settings) =>
            OperatorProcess.Start(
                BuildOutput.Program("Operator", "celery-operator.dll"),
                kubeconfig,
                identity,
                ["--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft.AspNetCore=Warning", .. settings],
                ownsKubeconfig,
                metricsBearerToken: identity);
    }

    extension(OperatorProcess process)
    {
        /// <summary>The emulator user (and leader identity) of this process.</summary>
        public string User => process.Identity;

        /// <summary>The last 40 lines of its log, for failure messages.</summary>
        public string RecentLog => string.Join('\n', process.Output.Split('\n').TakeLast(40));

        /// <summary>host:port of the process's metrics listener, once it has logged it.</summary>
        public async Task<string> MetricsAddressAsync() => (await process.ListeningAsync()).Metrics.Authority;

        /// <summary>The reconcile and retry counters from the process's /metrics.</summary>
        public async Task<CounterReading> ScrapeAsync()
        {
            var scrape = PrometheusScrape.Parse((await process.MetricsAsync()).Body);
            return new CounterReading(
                (long)scrape.Find("controller_runtime_reconcile_total").Sum(s => s.Value),
                (long)scrape.Find("controller_runtime_reconcile_total", ("result", "error")).Sum(s => s.Value),
                (long)scrape.Find("workqueue_retries_total").Sum(s => s.Value));
        }

        /// <summary>The sum over every series of <paramref name="metric"/> on the process's /metrics.</summary>
        public async Task<double> MetricAsync(string metric) =>
            PrometheusScrape.Parse((await process.MetricsAsync()).Body).Find(metric).Sum(s => s.Value);
    }
}
