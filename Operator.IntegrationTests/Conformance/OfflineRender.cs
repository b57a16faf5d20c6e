// Renders a resource without a running broker, for checks of the generated command lines alone: the sample's
// own broker type with a placeholder URL of that type.
namespace Operator.IntegrationTests.Conformance;

/// <summary>Renders samples and the documented example for command-line checks.</summary>
internal static class OfflineRender
{
    public static readonly string[] Samples = ["minimal.yaml", "redis-keda.yaml", "rabbitmq-hpa.yaml", "sqs.yaml", "fleet.yaml"];

    public static RenderedCelery Sample(string sample) => Yaml(File.ReadAllText(RepositoryRoot.File($"deploy/samples/{sample}")));

    public static RenderedCelery Yaml(string yaml)
    {
        var type = Operator.Celery.Model.CeleryYaml.LoadResources(yaml).Single().Spec.Broker.Type;
        var (broker, result) = type switch
        {
            "redis" => ("redis://:password@127.0.0.1:6379/0", "redis://:password@127.0.0.1:6379/1"),
            "rabbitmq" => ("amqp://guest:guest@127.0.0.1:5672//", "rpc://"),
            "sqs" => ("sqs://", "rpc://"),
            _ => throw new NotSupportedException("broker type " + type),
        };
        return RenderedCelery.Render(yaml, type, broker, result);
    }
}
