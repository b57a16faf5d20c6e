using System.Text.RegularExpressions;
using k8s.Models;
using Operator.Celery.Crd;

namespace Operator.Tests.Celery;

/// <summary>
/// The Kubernetes version the chart and the installation guide claim is the one the CRD needs: the API server
/// rejects a CRD whose validation rules use a field newer than itself, so a lower claim installs nowhere it says.
/// </summary>
public sealed partial class KubernetesVersionClaimTests
{
    [Test]
    public void TheChartAndTheInstallationGuideClaimTheVersionTheCrdNeeds()
    {
        var needed = MinimumKubernetesVersion(CeleryCustomResourceDefinition.Build());
        Assert.That(needed, Is.EqualTo(new Version(1, 28)), "every rule names its fieldPath");

        var chart = File.ReadAllText(RepositoryRoot.File("deploy/helm/celery-operator/Chart.yaml"));
        var claimed = ChartKubeVersion().Match(chart);
        Assert.That(claimed.Success, Is.True, "Chart.yaml has a kubeVersion lower bound");
        Assert.That(new Version(int.Parse(claimed.Groups["major"].Value), int.Parse(claimed.Groups["minor"].Value)), Is.EqualTo(needed), "Chart.yaml kubeVersion");

        var guide = File.ReadAllText(RepositoryRoot.File("docs/installation.md"));
        Assert.That(guide, Does.Contain($"Kubernetes {needed.Major}.{needed.Minor} or later"), "docs/installation.md");
    }

    /// <summary>
    /// The oldest API server that accepts every validation rule of the CRD: <c>x-kubernetes-validations</c> is on
    /// by default from 1.25, <c>messageExpression</c> from 1.27, <c>fieldPath</c> and <c>reason</c> from 1.28,
    /// <c>optionalOldSelf</c> from 1.30.
    /// </summary>
    private static Version MinimumKubernetesVersion(V1CustomResourceDefinition crd)
    {
        var needed = new Version(1, 16);
        foreach (var rule in crd.Spec.Versions.SelectMany(v => Schemas(v.Schema.OpenAPIV3Schema)).SelectMany(s => s.XKubernetesValidations ?? []))
        {
            var version = rule.OptionalOldSelf is not null ? new Version(1, 30)
                : rule.FieldPath is not null || rule.Reason is not null ? new Version(1, 28)
                : rule.MessageExpression is not null ? new Version(1, 27)
                : new Version(1, 25);
            needed = version > needed ? version : needed;
        }

        return needed;
    }

    private static IEnumerable<V1JSONSchemaProps> Schemas(V1JSONSchemaProps schema)
    {
        yield return schema;
        var children = (schema.Properties?.Values ?? []).Concat(schema.Items is V1JSONSchemaProps items ? [items] : []);
        if (schema.AdditionalProperties is V1JSONSchemaProps additional)
        {
            children = children.Append(additional);
        }

        foreach (var descendant in children.SelectMany(Schemas))
        {
            yield return descendant;
        }
    }

    [GeneratedRegex(@"^kubeVersion:\s*""?>=\s*(?<major>\d+)\.(?<minor>\d+)", RegexOptions.Multiline)]
    private static partial Regex ChartKubeVersion();
}
