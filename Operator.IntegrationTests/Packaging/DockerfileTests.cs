// The image's supply chain as the Dockerfile states it: every base image pinned by the digest of its
// multi-platform index, on the .NET release line the projects target, and a runtime stage that meets the
// restricted Pod Security Standard without help from the manifest (numeric non-root user). No container
// engine is needed: the Dockerfile is read as text, as a reviewer would.
using System.Text.RegularExpressions;

namespace Operator.IntegrationTests.Packaging;

public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(RepositoryRoot.File("Dockerfile"));

    private static IEnumerable<Match> FromLines() =>
        Lines.Select(l => FromLine().Match(l)).Where(m => m.Success);

    [Test]
    public void EveryBaseImageIsPinnedByDigest()
    {
        var from = FromLines().ToList();
        Assert.That(from, Has.Count.EqualTo(2), "a build stage and a runtime stage");
        foreach (var m in from)
        {
            Assert.That(m.Groups["digest"].Success, Is.True, $"'{m.Value}' names a tag only; pin it as image:tag@sha256:<digest>");
            Assert.That(m.Groups["image"].Value, Does.Not.Contain("${"), $"'{m.Value}': an ARG in the image reference would let a build move off the pin");
        }
    }

    [Test]
    public void BaseImagesFollowTheTargetFramework()
    {
        var framework = Regex.Match(File.ReadAllText(RepositoryRoot.File("Directory.Build.props")) + File.ReadAllText(RepositoryRoot.File("Operator/Operator.csproj")),
            @"<TargetFramework>net(?<v>\d+\.\d+)</TargetFramework>").Groups["v"].Value;
        Assert.That(framework, Is.Not.Empty, "no TargetFramework found");
        var tags = FromLines().ToDictionary(m => m.Groups["image"].Value, m => m.Groups["tag"].Value);
        Assert.Multiple(() =>
        {
            Assert.That(tags["mcr.microsoft.com/dotnet/sdk"], Is.EqualTo(framework));
            Assert.That(tags["mcr.microsoft.com/dotnet/aspnet"], Is.EqualTo($"{framework}-noble-chiseled"),
                "the runtime is the chiseled ASP.NET Core image (Kestrel serves probes and metrics)");
        });
    }

    [Test]
    public void TheRuntimeStageRunsAsANumericNonRootUser()
    {
        var runtime = Lines.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet", StringComparison.Ordinal)).ToList();
        var user = runtime.Select(l => Regex.Match(l, @"^USER\s+(?<uid>\d+)(:(?<gid>\d+))?\s*$")).LastOrDefault(m => m.Success);
        Assert.That(user, Is.Not.Null, "the runtime stage sets USER uid:gid with numbers, so runAsNonRoot can be checked");
        Assert.That(int.Parse(user!.Groups["uid"].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0));
    }

    [Test]
    public void DependabotWatchesTheDockerfile()
    {
        var config = File.ReadAllText(RepositoryRoot.File(".github/dependabot.yml"));
        Assert.That(config, Does.Match(@"package-ecosystem:\s*docker\s*\n\s*directory:\s*/\s*\n"),
            "digest pins go stale without something proposing the new digest");
    }

    [GeneratedRegex(@"^FROM\s+(--platform=\S+\s+)?(?<image>[^:@\s]+(?::\d+)?/[^:@\s]+)(:(?<tag>[^@\s]+))?(@sha256:(?<digest>[0-9a-f]{64}))?\s+AS\s+\w+\s*$")]
    private static partial Regex FromLine();
}
