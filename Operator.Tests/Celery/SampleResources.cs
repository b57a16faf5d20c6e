using Operator.Celery.Broker;
using Operator.Celery.Builders;
using Operator.Celery.Model;

namespace Operator.Tests.Celery;

/// <summary>The samples in deploy/samples, with a broker URL of the right kind for each.</summary>
internal static class SampleResources
{
    public static readonly IReadOnlyDictionary<string, string> BrokerUrls = new Dictionary<string, string>
    {
        ["minimal"] = "redis://redis.default.svc:6379/0",
        ["redis-keda"] = "rediss://celery:s3cr%2Ft@redis.shop.svc:6380/3",
        ["rabbitmq-hpa"] = "amqp://reports:hunter2@rabbitmq.analytics.svc:5672/reports",
        ["sqs"] = "sqs://",
        ["fleet"] = "redis://:fl33t@redis.ml.svc:6379/2",
        ["redis-builtin"] = "redis://redis.default.svc:6379/0",
    };

    public static IEnumerable<string> Names => BrokerUrls.Keys;

    public static string FilePath(string name) => RepositoryRoot.File($"deploy/samples/{name}.yaml");

    public static CeleryResource Load(string name) => CeleryYaml.LoadResources(File.ReadAllText(FilePath(name))).Single();

    public static DesiredState Build(string name, CeleryResource? resource = null)
    {
        resource ??= Load(name);
        var endpoint = BrokerUrlParser.Parse(resource.Spec.Broker.Type, BrokerUrls[name]).Endpoint ?? throw new InvalidOperationException("bad sample URL");
        return DesiredStateBuilder.Build(resource, new BrokerContext(endpoint, "sha256:0123456789abcdef"));
    }
}
