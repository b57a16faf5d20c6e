// The operator executable as a new user starts it: from the build output with `dotnet`, finding its cluster from
// KUBECONFIG as kubectl does, or saying in one line why it cannot.
using System.Text.RegularExpressions;
using Operator.Celery.Crd;
using Operator.IntegrationTests.Emulator;

namespace Operator.IntegrationTests.Hosting;

[Parallelizable(ParallelScope.Children)]
public sealed partial class OperatorExecutableTests
{
    private static readonly string Assembly = RepositoryRoot.File("Operator/bin/Release/net10.0/celery-operator.dll");

    private static readonly string[] LocalArguments =
        ["--Operator:ProbePort=0", "--Operator:Metrics:Port=0", "--Operator:BindAddress=127.0.0.1", "--Operator:LogFormat=Text", "--Operator:LeaderElection:Enabled=false"];

    private static Task<CommandResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        LocalProcess.RunAsync("dotnet", [Assembly, .. arguments], environment, Path.GetTempPath(), TimeSpan.FromSeconds(60), CancellationToken.None);

    [TestCase("/nonexistent/kubeconfig", "KUBECONFIG: no kubeconfig file found at /nonexistent/kubeconfig")]
    [TestCase("BROKEN", "KUBECONFIG: cannot read kubeconfig ")]
    public async Task AnUnusableKubeconfigIsOneLineOnStderrAndExitCodeOne(string kubeconfig, string expected)
    {
        var broken = Path.Combine(Path.GetTempPath(), $"broken-kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(broken, "clusters: [\n");
        try
        {
            var result = await RunAsync(new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig == "BROKEN" ? broken : kubeconfig }, LocalArguments);
            var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Multiple(() =>
            {
                Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
                Assert.That(lines, Has.Length.EqualTo(1), result.Output);
                Assert.That(lines[0], Does.StartWith("celery-operator: " + expected));
            });
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Test]
    public async Task AKubeconfigListInKubeconfigReachesTheClusterAndTheOperatorBecomesReady()
    {
        await using var session = await EmulatorSession.StartAsync(user: "celery-operator");
        (await session.Kubectl.RunAsync("apply", "--server-side", "-f", RepositoryRoot.File(CeleryCustomResourceDefinition.RepositoryPath))).EnsureSuccess();
        // kubectl's list form: a file that does not exist is skipped, the emulator's kubeconfig is used.
        var list = $"{Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid().ToString("N"))}:{session.KubeconfigPath}";
        await using var process = LocalProcess.Start("operator", "dotnet", [Assembly, .. LocalArguments], new Dictionary<string, string?> { ["KUBECONFIG"] = list, ["HOME"] = Path.GetTempPath() }, Path.GetTempPath());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var listening = await Eventually.UntilAsync("the operator's listening URL", TimeSpan.FromSeconds(60), _ => Task.FromResult(ListeningUrl().Match(process.Output)), m => m.Success || process.HasExited, CancellationToken.None);
        Assert.That(listening.Success, Is.True, process.Output);
        await Eventually.UntilAsync("/readyz", TimeSpan.FromSeconds(60), async token => (await http.GetAsync(new Uri(new Uri(listening.Value), "/readyz"), token)).IsSuccessStatusCode, CancellationToken.None);

        // The start-up log counts what it lists.
        var starting = StartingInformers().Match(process.Output);
        Assert.That(starting.Success, Is.True, process.Output);
        Assert.That(starting.Groups["resources"].Value.Split(", "), Has.Length.EqualTo(int.Parse(starting.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)), starting.Value);
    }

    [Test]
    public async Task HelpListsEverySettingWithItsEnvironmentVariableAndDefaultAndExitsZero()
    {
        var result = await RunAsync(new Dictionary<string, string?>(), "--help");
        // Every variable the docs and the shipped manifests set must be one the help lists.
        var documented = DocumentedVariable().Matches(await File.ReadAllTextAsync(RepositoryRoot.File("docs/operations.md")) + await File.ReadAllTextAsync(RepositoryRoot.File("deploy/operator/deployment.yaml")))
            .Select(m => m.Value).Distinct().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.Output, Does.Contain("--kubeconfig").And.Contain("--context").And.Contain("KUBECONFIG"));
            Assert.That(result.Output, Does.Match(@"--Operator:ProbePort +OPERATOR__PROBEPORT +\(default: 8081\)"));
            Assert.That(result.Output, Does.Match(@"--Operator:Metrics:Port +OPERATOR__METRICS__PORT +\(default: 8443\)"));
            Assert.That(result.Output, Does.Match(@"--Operator:Metrics:Secure +OPERATOR__METRICS__SECURE +\(default: true\)"));
            Assert.That(result.Output, Does.Match(@"--Operator:Metrics:CertDir +OPERATOR__METRICS__CERTDIR +\(default: unset\)"));
            Assert.That(result.Output, Does.Match(@"--Operator:LeaderElection:LeaseDuration +OPERATOR__LEADERELECTION__LEASEDURATION +\(default: 00:00:15\)"));
            Assert.That(documented, Is.Not.Empty);
            foreach (var variable in documented)
            {
                Assert.That(result.Output, Does.Match(" " + variable + "(__0)? "), variable);
            }
        });
    }

    [Test]
    public async Task EmulatorHelpListsEveryOptionItAcceptsAndExitsZero()
    {
        var emulator = RepositoryRoot.File("Operator.Emulator/bin/Release/net10.0/Operator.Emulator.dll");
        var result = await LocalProcess.RunAsync("dotnet", [emulator, "--help"], new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(60), CancellationToken.None);
        var samples = new Dictionary<string, string> { ["N"] = "1", ["PATH"] = "out.yaml", ["NAME"] = "someone", ["DURATION"] = "2s", ["LEVEL"] = "Warning", ["MODE"] = "RBAC", ["CIDR"] = "10.0.0.0/16" };
        var options = EmulatorOption().Matches(result.Output).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.Output, Does.Not.Contain("needs a value"));
            Assert.That(options, Has.Count.GreaterThanOrEqualTo(8), result.Output);
            foreach (var option in options.Where(o => o.Groups["flag"].Value != "--help"))
            {
                string[] arguments = option.Groups["value"].Success ? [option.Groups["flag"].Value, samples[option.Groups["value"].Value]] : [option.Groups["flag"].Value];
                Assert.That(Operator.Emulator.Hosting.EmulatorCommandLine.Parse(arguments).Error, Is.Null, string.Join(' ', arguments));
                Assert.That(option.Value, Does.Contain("[default: ").Or.Contain("unless given"), option.Value);
            }
        });
    }

    [TestCase("Operator/bin/Release/net10.0/celery-operator.dll", "crd", "--bogus")]
    [TestCase("Operator/bin/Release/net10.0/celery-operator.dll", "--kubeconfig")]
    [TestCase("Operator.Emulator/bin/Release/net10.0/Operator.Emulator.dll", "--bogus")]
    [TestCase("Operator.Emulator/bin/Release/net10.0/Operator.Emulator.dll", "--port", "http")]
    public async Task AUsageErrorNamesTheArgumentOnStderrPointsToHelpAndExitsTwo(string program, params string[] arguments)
    {
        var result = await LocalProcess.RunAsync("dotnet", [RepositoryRoot.File(program), .. arguments], new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Output, Does.Contain($"'{arguments[^1]}'").Or.Contain($" {arguments[^1]}:"), result.ToString());
            Assert.That(result.Output, Does.Contain("--help' for usage."), result.ToString());
        });
    }

    [GeneratedRegex(@"OPERATOR__[A-Z_]+[A-Z]")]
    private static partial Regex DocumentedVariable();

    [GeneratedRegex(@"^  (?<flag>--[a-z-]+)(?: <(?<value>[A-Z]+)>)? .*$", RegexOptions.Multiline)]
    private static partial Regex EmulatorOption();

    [GeneratedRegex(@"(?<=probes on )http://127\.0\.0\.1:[0-9]+")]
    private static partial Regex ListeningUrl();

    [GeneratedRegex(@"Starting (?<count>[0-9]+) informers \((?<resources>[^)]*)\)")]
    private static partial Regex StartingInformers();
}
