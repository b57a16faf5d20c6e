// The kubeconfig target against the shared emulator process, so the kubeconfig path is exercised on every test run.
namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>The kubeconfig target against <see cref="EmulatorProcess"/>: what CI runs of the kubeconfig path.</summary>
public sealed class EmulatorProcessTarget : KubeconfigTarget
{
    public override string Name => "emulator-process";

    public override string Category => "EmulatorProcess";

    public override string? Unavailable => KubectlRunner.Installed ? null : $"kubectl is not installed at {KubectlRunner.Executable}";

    public override TimeSpan SettleTimeout => TimeSpan.FromSeconds(20);

    public override TimeSpan BookmarkWait => TimeSpan.FromSeconds(10);

    internal override async Task<string> KubeconfigPathAsync(CancellationToken cancellationToken) =>
        (await EmulatorProcess.SharedAsync(cancellationToken)).KubeconfigPath;
}
