using Microsoft.Extensions.DependencyInjection;
using Operator.Runtime;
using Operator.Runtime.Hosting;
using Operator.Runtime.Source;

namespace Operator.IntegrationTests.Hosting;

public sealed class FailureTests : FakeApiHostTest
{
    [Test]
    public async Task ALostLeaseStopsTheHostWithAFailureInsteadOfLeadingAgain()
    {
        Api.ConfigMaps.Apply("default", "one", new Dictionary<string, string>());
        await using var host = await TestOperator.StartAsync(Api, Timeline, "partitioned");
        await Eventually.TrueAsync(() => host.Module.Reconciles.ContainsKey(new ObjectKey("default", "one")), "the host leads and reconciles");

        Api.Leases.Steal("ops", TestOperator.LeaseName, "usurper");

        await Eventually.TrueAsync(() => host.ApplicationStopping.IsCancellationRequested, "the host stops once it cannot renew within the renew deadline");
        Assert.That(host.Status.Failure, Is.EqualTo("leadership was lost"));
        Assert.That(host.Status.IsLeader, Is.False);
        await host.StopAsync();
        Assert.That(Api.Leases.Get("ops", TestOperator.LeaseName)!.Spec.HolderIdentity, Is.EqualTo("usurper"), "a lease held by someone else is never released by us");
    }

    [Test]
    public async Task AFailingModuleStopsTheHostWithAFailure()
    {
        await using var app = OperatorHost.Build(
            TestOperator.Arguments(Api, "failing"),
            (services, _) => services.AddControllerModule(_ => new FailingModule()));
        await app.StartAsync();
        var status = app.Services.GetRequiredService<OperatorStatus>();

        await Eventually.TrueAsync(() => app.Lifetime.ApplicationStopping.IsCancellationRequested, "the host stops when a module fails");
        Assert.That(status.Failure, Is.EqualTo("module failing failed"));
        await app.StopAsync();
        Assert.That(Api.Leases.Holders()[^1], Is.EqualTo(string.Empty), "the lease is released for a healthy standby");
    }

    private sealed class FailingModule : IControllerModule
    {
        public string Name => "failing";

        public IReadOnlyList<IInformer> Informers => [];

        public Task RunAsLeaderAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("cannot start controllers");
    }
}
