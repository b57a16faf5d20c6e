// The emulator as a conformance target: one fresh in-process emulator per session, with a short bookmark interval
// so bookmark tests do not wait a minute.
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>Runs the suite against <see cref="KubernetesEmulator"/>.</summary>
public sealed class EmulatorTarget : ClusterTarget
{
    public static readonly TimeSpan BookmarkInterval = TimeSpan.FromMilliseconds(200);

    public override string Name => "emulator";

    public override string Category => "EmulatorTarget";

    public override string? Unavailable => null;

    public override TimeSpan SettleTimeout => TimeSpan.FromSeconds(10);

    public override TimeSpan BookmarkWait => TimeSpan.FromSeconds(10);

    public override bool InProcessEmulator => true;

    internal override async Task<ClusterSession> OpenSessionAsync(CancellationToken cancellationToken)
    {
        var emulator = await EmulatorSession.StartAsync(new EmulatorOptions { BookmarkInterval = BookmarkInterval });
        return await ClusterSession.OpenAsync(this, emulator.Client, emulator.KubeconfigPath,
            path => RawWatch.OpenAsync(emulator.Emulator.BaseAddress, path, emulator.User), emulator, cancellationToken);
    }

    // Known rather than probed: the emulator this target starts collects garbage and runs no Deployment controller.
    internal override Task<ClusterControllers> ControllersAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ClusterControllers(GarbageCollector: true, DeploymentController: false, PodsBecomeReady: false));
}
