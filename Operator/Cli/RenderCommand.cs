// `render`: the operator's main job without a cluster. Reads Celery resources from YAML, validates them and
// prints the children the operator would apply, as multi-document YAML. The children's ownerReferences need the
// Celery resource's uid, which only the cluster knows: without --owner-uid they are left out (the header says so),
// so the output always passes schema validation and applies; with it, the output is what the operator applies.
using System.CommandLine;
using System.Text;
using k8s;
using Operator.Celery.Broker;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Validation;

namespace Operator.Cli;

/// <summary><c>render -f FILE [--broker-url URL] [--owner-uid UID]</c>.</summary>
internal static class RenderCommand
{
    /// <summary>Used when no --broker-url is given: the in-cluster service names most charts use.</summary>
    public static string DefaultBrokerUrl(string brokerType) => brokerType switch
    {
        "rabbitmq" => "amqp://guest:guest@rabbitmq:5672//",
        "sqs" => "sqs://",
        _ => "redis://redis:6379/0",
    };

    public static Command Create()
    {
        var file = new Option<string>("--filename", "-f") { Description = "the YAML file of Celery resources ('-' reads standard input)", HelpName = "FILE", Required = true };
        var brokerUrl = new Option<string>("--broker-url") { Description = "the broker URL the children get (default: the in-cluster service of the broker type)", HelpName = "URL" };
        var ownerUid = new Option<string>("--owner-uid") { Description = "the uid of the one Celery resource in FILE; without it ownerReferences are left out", HelpName = "UID" };
        var command = new Command("render", "print the objects the operator makes for the Celery resources in FILE") { file, brokerUrl, ownerUid };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(file), parseResult.GetValue(brokerUrl), parseResult.GetValue(ownerUid),
            parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string file, string? brokerUrl, string? ownerUid, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = file == "-" ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false) : await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"render: cannot read {file}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        IReadOnlyList<CeleryResource> resources;
        try
        {
            resources = CeleryYaml.LoadResources(text);
        }
        catch (FormatException e)
        {
            await stderr.WriteLineAsync($"render: {file}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        if (ownerUid is not null && resources.Count != 1)
        {
            await stderr.WriteLineAsync($"render: --owner-uid names one Celery resource, but {file} holds {resources.Count}").ConfigureAwait(false);
            return OperatorCommandLine.UsageError;
        }

        var output = new StringBuilder();
        var failed = false;
        foreach (var resource in resources)
        {
            var name = $"{resource.Metadata.NamespaceProperty ?? "default"}/{resource.Metadata.Name}";
            var violations = CeleryValidator.Validate(resource);
            if (violations.Count > 0)
            {
                failed = true;
                await stderr.WriteLineAsync($"render: Celery {name} is invalid:").ConfigureAwait(false);
                foreach (var violation in violations)
                {
                    await stderr.WriteLineAsync($"  {violation}").ConfigureAwait(false);
                }

                continue;
            }

            // Rendered anyway, as the operator applies it; the status would carry the same warning.
            foreach (var warning in CeleryValidator.Warnings(resource))
            {
                await stderr.WriteLineAsync($"render: Celery {name}: warning: {warning}").ConfigureAwait(false);
            }

            var url = brokerUrl ?? DefaultBrokerUrl(resource.Spec.Broker.Type);
            var parsed = BrokerUrlParser.Parse(resource.Spec.Broker.Type, url);
            if (!parsed.Succeeded)
            {
                failed = true;
                await stderr.WriteLineAsync($"render: Celery {name}: spec.broker: {parsed.Error}").ConfigureAwait(false);
                continue;
            }

            var checksum = resource.Spec.Broker.UrlSecretRef is { } reference
                ? SecretChecksum.Compute([(reference.Name, reference.Key, Encoding.UTF8.GetBytes(url))])
                : null;
            resource.Metadata.Uid = ownerUid;
            var desired = DesiredStateBuilder.Build(resource, new BrokerContext(parsed.Endpoint, checksum));
            output.Append("# Children of Celery ").Append(name).Append(", broker ").Append(parsed.Endpoint)
                .Append(brokerUrl is null ? " (default; pass --broker-url for yours)" : "").Append('\n')
                .Append(ownerUid is null
                    ? "# ownerReferences left out: they need the Celery resource's uid; pass --owner-uid UID for them\n"
                    : $"# ownerReferences name Celery {name} with uid {ownerUid}\n");
            foreach (var child in desired.Objects)
            {
                if (ownerUid is null)
                {
                    // An ownerReference without a uid fails schema validation and the API server rejects it.
                    child.Metadata.OwnerReferences = null;
                }

                output.Append("---\n").Append(KubernetesYaml.Serialize(child).TrimEnd('\n')).Append('\n');
            }
        }

        await stdout.WriteAsync(output, cancellationToken).ConfigureAwait(false);
        return failed ? 1 : 0;
    }
}
