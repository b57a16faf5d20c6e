// A Celery resource rendered by the operator's own builders against a test broker, with every Secret the
// rendered objects reference resolved the way the kubelet and KEDA would resolve it. Invariant: a reference
// to a Secret (or key) the resource does not define fails the test; nothing is resolved by guessing.
using System.Text;
using Operator.Celery.Broker;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Naming;
using Operator.Keda;

namespace Operator.IntegrationTests.Conformance;

/// <summary>A resource, its desired children, and the Secret values behind them.</summary>
internal sealed class RenderedCelery
{
    private readonly Dictionary<(string Secret, string Key), string> secrets;

    private RenderedCelery(CeleryResource resource, DesiredState state, Dictionary<(string Secret, string Key), string> secrets)
    {
        Resource = resource;
        State = state;
        this.secrets = secrets;
        Names = new ChildNames(resource.Metadata.Name);
    }

    public CeleryResource Resource { get; }

    public CelerySpec Spec => Resource.Spec;

    public DesiredState State { get; }

    public ChildNames Names { get; }

    /// <summary>Renders the single resource in <paramref name="yaml"/> for <paramref name="broker"/>.</summary>
    /// <remarks>
    /// spec.broker.type is set to the broker's type, so a sample written for Redis can also be rendered (and run)
    /// on RabbitMQ; the broker and result Secrets named by the resource hold the test broker's URLs.
    /// </remarks>
    public static RenderedCelery Render(string yaml, IBrokerServer broker) => Render(yaml, broker.BrokerType, broker.BrokerUrl, broker.ResultBackendUrl);

    /// <summary>Renders for a broker of <paramref name="brokerType"/> at <paramref name="brokerUrl"/>, which need not be running.</summary>
    public static RenderedCelery Render(string yaml, string brokerType, string brokerUrl, string resultBackendUrl)
    {
        var resource = CeleryYaml.LoadResources(yaml).Single();
        resource.Spec = resource.Spec with { Broker = resource.Spec.Broker with { Type = brokerType } };
        var parsed = BrokerUrlParser.Parse(brokerType, brokerUrl);
        var endpoint = parsed.Endpoint ?? throw new InvalidOperationException("test broker URL does not parse: " + parsed.Error);
        var state = DesiredStateBuilder.Build(resource, new BrokerContext(endpoint, null));
        Assert.That(state.Pending, Is.Empty, "everything should be buildable with a resolved broker");

        var secrets = new Dictionary<(string Secret, string Key), string>();
        if (resource.Spec.Broker.UrlSecretRef is { } brokerRef)
        {
            secrets[(brokerRef.Name, brokerRef.Key)] = brokerUrl;
        }

        if (resource.Spec.ResultBackend?.UrlSecretRef is { } resultRef)
        {
            secrets[(resultRef.Name, resultRef.Key)] = resultBackendUrl;
        }

        foreach (var secret in state.Objects.OfType<V1Secret>())
        {
            foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
            {
                secrets[(secret.Metadata.Name, key)] = Encoding.UTF8.GetString(value);
            }
        }

        return new RenderedCelery(resource, state, secrets);
    }

    public static RenderedCelery RenderSample(string sample, IBrokerServer broker) => Render(File.ReadAllText(RepositoryRoot.File($"deploy/samples/{sample}")), broker);

    public T Object<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        State.Objects.OfType<T>().SingleOrDefault(o => o.Metadata.Name == name)
        ?? throw new InvalidOperationException($"no {typeof(T).Name} {name} in the desired state");

    public V1Deployment WorkerDeployment(string group) => Object<V1Deployment>(Names.WorkerDeployment(group));

    public V1Container WorkerContainer(string group) => Container(WorkerDeployment(group), WorkerDeploymentBuilder.ContainerName);

    public WorkerGroupSpec WorkerGroup(string group) => Spec.Workers.Single(w => w.Name == group);

    public V1Container BeatContainer() => Container(Object<V1Deployment>(Names.BeatDeployment), BeatDeploymentBuilder.ContainerName);

    public V1Container FlowerContainer() => Container(Object<V1Deployment>(Names.FlowerDeployment), FlowerDeploymentBuilder.ContainerName);

    public ScaledObject ScaledObject(string group) => Object<ScaledObject>(Names.WorkerScaledObject(group));

    /// <summary>Every container of every Deployment, with the Deployment's name.</summary>
    public IEnumerable<(string Deployment, V1Container Container)> Containers() =>
        State.Objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers.Select(c => (d.Metadata.Name, c)));

    public string SecretValue(string secret, string key) =>
        secrets.TryGetValue((secret, key), out var value) ? value : throw new InvalidOperationException($"Secret {secret} has no key {key} in this test");

    /// <summary>The container's environment as the kubelet would set it (values and secretKeyRefs).</summary>
    public Dictionary<string, string> Environment(V1Container container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            env[variable.Name] = variable switch
            {
                { Value: { } value } => value,
                { ValueFrom.SecretKeyRef: { } reference } => SecretValue(reference.Name, reference.Key),
                _ => throw new NotSupportedException($"env {variable.Name}: only values and secretKeyRefs are resolved here"),
            };
        }

        return env;
    }

    /// <summary>The parameters KEDA passes a trigger's scaler from its TriggerAuthentication.</summary>
    public IReadOnlyDictionary<string, string> AuthenticationParameters(ScaleTrigger trigger)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (trigger.AuthenticationRef is { } reference)
        {
            var authentication = Object<TriggerAuthentication>(reference.Name);
            foreach (var target in authentication.Spec.SecretTargetRef ?? [])
            {
                parameters[target.Parameter] = SecretValue(target.Name, target.Key);
            }
        }

        return parameters;
    }

    private static V1Container Container(V1Deployment deployment, string name) =>
        deployment.Spec.Template.Spec.Containers.Single(c => c.Name == name);
}
