// The worker probes docs/celery-compatibility.md recommends, read from the document itself (its first YAML
// block that defines a Celery resource), so the tested probes and the documented ones cannot drift apart.
namespace Operator.IntegrationTests.Conformance;

/// <summary>The documented example resource with recommended worker probes.</summary>
internal static class RecommendedProbes
{
    public const string Document = "docs/celery-compatibility.md";

    public static string ResourceYaml()
    {
        var text = File.ReadAllText(RepositoryRoot.File(Document));
        const string fence = "```yaml\n";
        for (var start = text.IndexOf(fence, StringComparison.Ordinal); start >= 0; start = text.IndexOf(fence, start + 1, StringComparison.Ordinal))
        {
            var body = start + fence.Length;
            var end = text.IndexOf("```", body, StringComparison.Ordinal);
            var block = text[body..end];
            if (block.Contains("kind: Celery", StringComparison.Ordinal) && block.Contains("readinessProbe", StringComparison.Ordinal))
            {
                return block;
            }
        }

        throw new InvalidOperationException("docs/celery-compatibility.md has no YAML example of a Celery resource with probes");
    }
}
