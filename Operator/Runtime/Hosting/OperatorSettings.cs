using Operator.Runtime.LeaderElection;

namespace Operator.Runtime.Hosting;

/// <summary>
/// Every setting the host needs, bound once at start-up and validated before anything runs.
/// Defaults that depend on where the process runs: the leader identity is the pod name (<c>POD_NAME</c>) or,
/// outside a pod, the runtime's default (machine name plus a random suffix, so two local processes never share an
/// identity); the lease namespace is the pod's namespace (<c>POD_NAMESPACE</c>, then the service account's
/// namespace file) unless configured.
/// </summary>
public sealed record OperatorSettings(
    OperatorOptions Operator,
    LeaderElectionOptions LeaderElection,
    KubernetesConnectionOptions Kubernetes)
{
    public const string LeaderElectionSectionName = "Operator:LeaderElection";

    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>How long the host may take to stop: draining reconciles, then releasing the lease, plus a margin.</summary>
    public TimeSpan HostShutdownTimeout =>
        Operator.ShutdownTimeout + (LeaderElection.Enabled ? LeaderElection.RenewDeadline : TimeSpan.Zero) + TimeSpan.FromSeconds(5);

    public static OperatorSettings Bind(IConfiguration configuration) => Bind(configuration, Environment.GetEnvironmentVariable, ReadServiceAccountNamespace);

    /// <param name="environment">Reads an environment variable (injected so tests do not depend on the process).</param>
    /// <param name="serviceAccountNamespace">Reads the pod's namespace from its service account, or null.</param>
    public static OperatorSettings Bind(IConfiguration configuration, Func<string, string?> environment, Func<string?> serviceAccountNamespace)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(serviceAccountNamespace);
        var operatorOptions = configuration.GetSection(OperatorOptions.SectionName).Get<OperatorOptions>() ?? new OperatorOptions();
        var kubernetes = configuration.GetSection(KubernetesConnectionOptions.SectionName).Get<KubernetesConnectionOptions>() ?? new KubernetesConnectionOptions();
        var electionSection = configuration.GetSection(LeaderElectionSectionName);
        var election = electionSection.Get<LeaderElectionOptions>() ?? new LeaderElectionOptions();
        if (string.IsNullOrEmpty(electionSection[nameof(LeaderElectionOptions.Identity)]) && environment("POD_NAME") is { Length: > 0 } podName)
        {
            election = election with { Identity = podName };
        }

        if (string.IsNullOrEmpty(electionSection[nameof(LeaderElectionOptions.LeaseNamespace)]))
        {
            var podNamespace = environment("POD_NAMESPACE") is { Length: > 0 } fromEnvironment ? fromEnvironment : serviceAccountNamespace();
            if (!string.IsNullOrEmpty(podNamespace))
            {
                election = election with { LeaseNamespace = podNamespace };
            }
        }

        var settings = new OperatorSettings(operatorOptions, election, kubernetes);
        settings.Validate();
        return settings;
    }

    public void Validate()
    {
        Operator.Validate();
        LeaderElection.Validate();
        Kubernetes.Validate();
    }

    private static string? ReadServiceAccountNamespace() =>
        File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : null;
}
