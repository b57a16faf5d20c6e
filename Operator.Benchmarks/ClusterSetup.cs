// Installs what the operator needs before it starts: the Celery CRD and the KEDA CRD stand-ins, created
// through KubernetesClient from the repository's manifests, then waits until they are served.
using k8s;
using k8s.Models;

namespace Operator.Benchmarks;

/// <summary>Installs the CRDs into a fresh emulator.</summary>
public static class ClusterSetup
{
    public static async Task InstallCrdsAsync(Kubernetes client, RepositoryLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(layout);
        foreach (var file in new[] { layout.CeleryCrd, layout.KedaCrds })
        {
            var documents = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
            foreach (var crd in documents.OfType<V1CustomResourceDefinition>())
            {
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
