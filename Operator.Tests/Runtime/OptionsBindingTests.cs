using Microsoft.Extensions.Configuration;
using Operator.Runtime.LeaderElection;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.Tests.Runtime;

public sealed class OptionsBindingTests
{
    [Test]
    public void OptionsRecordsBindFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Controller:MaxConcurrentReconciles"] = "4",
            ["Controller:ResyncPeriod"] = "00:10:00",
            ["Controller:RateLimiter:QueriesPerSecond"] = "20",
            ["Informer:Namespaces:0"] = "team-a",
            ["Informer:Namespaces:1"] = "team-b",
            ["LeaderElection:LeaseNamespace"] = "ops",
            ["LeaderElection:RetryPeriod"] = "00:00:01",
        }).Build();

        var controller = configuration.GetSection("Controller").Get<ControllerOptions>()!;
        var informer = configuration.GetSection("Informer").Get<InformerOptions>()!;
        var election = configuration.GetSection("LeaderElection").Get<LeaderElectionOptions>()!;

        Assert.That(controller.MaxConcurrentReconciles, Is.EqualTo(4));
        Assert.That(controller.ResyncPeriod, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(controller.RateLimiter.QueriesPerSecond, Is.EqualTo(20));
        Assert.That(controller.RateLimiter.Burst, Is.EqualTo(100), "unbound values keep their defaults");
        Assert.That(informer.Namespaces, Is.EqualTo(new[] { "team-a", "team-b" }));
        Assert.That(election.LeaseNamespace, Is.EqualTo("ops"));
        Assert.That(election.RetryPeriod, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(election.LeaseDuration, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.DoesNotThrow(controller.Validate);
        Assert.DoesNotThrow(informer.Validate);
        Assert.DoesNotThrow(election.Validate);
    }
}
