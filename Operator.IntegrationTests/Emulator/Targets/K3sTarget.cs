// A real Kubernetes (K3s in Docker, through Testcontainers) as a conformance target: start K3s, then run the
// kubeconfig target against the kubeconfig it hands out. Opt-in: CELERY_OPERATOR_K3S=1, and a Docker engine must
// answer; otherwise the fixtures are skipped with the reason. One K3s container serves the whole test run (starting
// one takes tens of seconds); sessions isolate themselves with fresh namespaces.
namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>Runs the suite against K3s started by Testcontainers.</summary>
public sealed class K3sTarget : KubeconfigTarget
{
    public const string OptInVariable = "CELERY_OPERATOR_K3S";
    public const string ImageVariable = "CELERY_OPERATOR_K3S_IMAGE";

    /// <summary>The K3s release matching the Kubernetes version the emulator reports (v1.32).</summary>
    public const string DefaultImage = "rancher/k3s:v1.32.1-k3s1";

    public override string Name => "k3s";

    public override string Category => "K3s";

    public override string? Unavailable
    {
        get
        {
            if (Environment.GetEnvironmentVariable(OptInVariable) != "1")
            {
                return $"K3s conformance run not requested: set {OptInVariable}=1 (needs a Docker engine) to run this fixture against a real K3s";
            }

            return DockerEngine.Problem is { } problem
                ? $"K3s conformance run requested ({OptInVariable}=1) but cannot start: {problem}"
                : null;
        }
    }

    public static string Image => Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } image ? image : DefaultImage;

    internal override async Task<string> KubeconfigPathAsync(CancellationToken cancellationToken) =>
        (await K3sCluster.SharedAsync(cancellationToken)).KubeconfigPath;
}
