using Operator.Runtime;
using Operator.Runtime.Reconcile;

namespace Operator.IntegrationTests.Hosting;

public sealed class GracefulStopTests : FakeApiHostTest
{
    private static readonly ObjectKey Slow = new("default", "slow");
    private static readonly ObjectKey Late = new("default", "late");

    [Test]
    public async Task StopTakesNoNewWorkLetsTheInFlightReconcileFinishThenReleasesTheLease()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = false;
        await using var host = await TestOperator.StartAsync(Api, Timeline, "draining", module => module.Behaviour = async (key, token) =>
        {
            if (key == Slow)
            {
                started.TrySetResult();
                try
                {
                    await finish.Task.WaitAsync(token);
                }
                catch (OperationCanceledException)
                {
                    cancelled = true;
                    throw;
                }
            }

            return ReconcileResult.Success();
        });
        Api.ConfigMaps.Apply("default", "slow", new Dictionary<string, string>());
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var stopping = host.StopAsync();
        await Eventually.TrueAsync(async () => (await host.GetAsync("/readyz")).Code == 503, "readiness fails once stopping begins");
        Api.ConfigMaps.Apply("default", "late", new Dictionary<string, string>());
        await Eventually.TrueAsync(async () => (await host.GetAsync("/metrics")).Body.Contains("workqueue_longest_running_processor_seconds", StringComparison.Ordinal), "metrics are still served while draining");
        Assert.That(stopping.IsCompleted, Is.False, "stop waits for the in-flight reconcile");
        Assert.That(Api.Leases.Holders(), Has.None.EqualTo(string.Empty), "the lease is kept while reconciles drain");

        finish.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(cancelled, Is.False, "the in-flight reconcile finished within the shutdown timeout");
        Assert.That(host.Module.Reconciles.ContainsKey(Late), Is.False, "no new work is taken once stopping");
        Assert.That(Api.Leases.Holders()[^1], Is.EqualTo(string.Empty), "the lease is released last");
        Assert.That(host.Status.Failure, Is.Null);
    }

    [Test]
    public async Task AReconcileOutlivingTheShutdownTimeoutIsCancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestOperator.StartAsync(
            Api,
            Timeline,
            "stuck",
            module => module.Behaviour = async (_, token) =>
            {
                started.TrySetResult();
                using var registration = token.Register(() => cancelled.TrySetResult());
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
                return ReconcileResult.Success();
            },
            "--Operator:ShutdownTimeout=00:00:01");
        Api.ConfigMaps.Apply("default", "stuck", new Dictionary<string, string>());
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(cancelled.Task.IsCompleted, Is.True, "the reconcile's token was cancelled after the timeout");
        Assert.That(Api.Leases.Holders()[^1], Is.EqualTo(string.Empty), "the lease is still released");
    }
}
