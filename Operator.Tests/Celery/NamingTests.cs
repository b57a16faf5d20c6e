using System.Text.RegularExpressions;
using k8s.Models;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Naming;

namespace Operator.Tests.Celery;

/// <summary>Property tests: for any valid resource and group name, child names and label values stay valid.</summary>
public sealed partial class NamingTests
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    private static string RandomSubdomain(Random random, int length)
    {
        const string inner = "abcdefghijklmnopqrstuvwxyz0123456789-.";
        const string edge = "abcdefghijklmnopqrstuvwxyz0123456789";
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            var pool = i == 0 || i == length - 1 ? edge : inner;
            chars[i] = pool[random.Next(pool.Length)];
        }

        // No empty or dash-edged segments between dots.
        return Regex.Replace(new string(chars), @"[-.]*\.[-.]*", m => m.Value.Contains("..", StringComparison.Ordinal) || m.Value.Length > 1 ? "a.b" : ".");
    }

    [Test]
    public void ChildNamesAreValidForAnyResourceName()
    {
        var random = new Random(20261125);
        for (var i = 0; i < 2000; i++)
        {
            var resourceName = RandomSubdomain(random, random.Next(1, 254));
            resourceName = resourceName[..Math.Min(resourceName.Length, 253)].Trim('-', '.');
            if (resourceName.Length == 0)
            {
                continue;
            }

            var group = RandomSubdomain(random, random.Next(1, 64)).Replace('.', 'x');
            var names = new ChildNames(resourceName);
            foreach (var name in new[] { names.WorkerDeployment(group), names.BeatDeployment, names.FlowerDeployment, names.KedaBrokerSecret, names.WorkerScaledObject(group) })
            {
                Assert.That(name, Does.Match(DnsLabel()).And.Length.LessThanOrEqualTo(63), $"{resourceName} / {group}");
            }

            Assert.Multiple(() =>
            {
                Assert.That(names.FlowerService, Does.Match(Dns1035Label()).And.Length.LessThanOrEqualTo(63), resourceName);
                Assert.That(names.WorkerScaledObject(group).Length, Is.LessThanOrEqualTo(ChildNames.ScaledObjectMaxLength));
                Assert.That(names.InstanceLabel, Does.Match(LabelValue()).And.Length.LessThanOrEqualTo(63), resourceName);
                Assert.That(new ChildNames(resourceName).WorkerDeployment(group), Is.EqualTo(names.WorkerDeployment(group)), "deterministic");
            });
        }
    }

    [Test]
    public void LongNamesThatShareAPrefixStayDistinct()
    {
        var prefix = new string('a', 80);
        var names = Enumerable.Range(0, 50).Select(i => new ChildNames(prefix + i).WorkerDeployment("default")).ToHashSet();
        Assert.That(names, Has.Count.EqualTo(50));
    }

    [Test]
    public void DottedAndDashedNamesDoNotCollide()
    {
        Assert.That(new ChildNames("a.b").FlowerDeployment, Is.Not.EqualTo(new ChildNames("a-b").FlowerDeployment));
    }

    [Test]
    public void ShortNamesAreKeptReadable()
    {
        var names = new ChildNames("shop");
        Assert.Multiple(() =>
        {
            Assert.That(names.WorkerDeployment("emails"), Is.EqualTo("shop-worker-emails"));
            Assert.That(names.FlowerService, Is.EqualTo("shop-flower"));
            Assert.That(new ChildNames("1shop").FlowerService, Does.Match(Dns1035Label()));
        });
    }

    [Test]
    public void BuiltObjectsUseValidNamesForMaximalInput()
    {
        var resource = new CeleryResource
        {
            Metadata = new V1ObjectMeta { Name = new string('x', 240) + ".example.com", NamespaceProperty = "ns" },
            Spec = new CelerySpec
            {
                Image = "i",
                App = "a",
                Broker = new BrokerSpec { Type = "redis", UrlSecretRef = new SecretKeyReference { Name = "s", Key = "k" } },
                Workers = [new WorkerGroupSpec { Name = new string('w', 63), Autoscaling = new AutoscalingSpec { MaxReplicas = 2, QueueLength = new QueueLengthTarget { TargetPerReplica = 1 } } }],
                Beat = new BeatSpec { Enabled = true },
            },
        };
        var state = DesiredStateBuilder.Build(resource, new BrokerContext(Operator.Celery.Broker.BrokerUrlParser.Parse("redis", "redis://r:6379/0").Endpoint, null));
        foreach (var child in state.Objects)
        {
            Assert.That(child.Metadata.Name, Does.Match(DnsLabel()).And.Length.LessThanOrEqualTo(63));
            foreach (var value in child.Metadata.Labels.Values)
            {
                Assert.That(value, Does.Match(LabelValue()).And.Length.LessThanOrEqualTo(63));
            }
        }
    }
}
