using Operator.Cli;

namespace Operator.Tests.Cli;

// The operator executable's command line as a user meets it: usage on --help, one line and exit code 2 for a usage
// error, and every other argument handed to the operator's configuration exactly as given.
public sealed class OperatorCommandLineTests
{
    [TestCase("--help")]
    [TestCase("-h")]
    [TestCase("help")]
    public async Task HelpListsTheCommandsTheKubectlFlagsAndEverySettingAndExitsZero(string ask)
    {
        var (exit, output, error) = await RunOfflineAsync(ask);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, error);
            Assert.That(output, Does.Contain("Usage:\n  celery-operator [command] [options] [[--] <additional arguments>...]]"));
            Assert.That(output, Does.Match(@"\n  render +print the objects").And.Match(@"\n  crd +print the Celery CRD"));
            Assert.That(output, Does.Match(@"--kubeconfig <FILE> +sets Operator:Kubernetes:KubeConfigPath").And.Match(@"--context <NAME> +sets Operator:Kubernetes:Context"));
            Assert.That(output, Does.Match(@"--Operator:ProbePort +OPERATOR__PROBEPORT +\(default: 8081\)"));
            Assert.That(error, Is.Empty);
        });
    }

    [Test]
    public async Task HelpAmongSettingsPrintsUsageInsteadOfStartingTheOperator()
    {
        var (exit, output, _) = await RunOfflineAsync("--Operator:LogFormat=Text", "--Operator:ProbePort", "0", "-h");
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("OPERATOR__LOGFORMAT"));
    }

    [Test]
    public async Task HelpOfACommandListsItsOptionsAndNotTheOperatorsSettings()
    {
        var (exit, output, _) = await RunOfflineAsync("render", "--help");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(output, Does.Contain("celery-operator render [options]"));
            Assert.That(output, Does.Contain("-f, --filename <FILE> (REQUIRED)").And.Contain("--broker-url <URL>").And.Contain("--owner-uid <UID>"));
            Assert.That(output, Does.Not.Contain("OPERATOR__"));
        });
    }

    [TestCase(new[] { "crd", "--bogus" }, "celery-operator crd: Unrecognized command or argument '--bogus'.")]
    [TestCase(new[] { "render", "-f", "x.yaml", "--owner" }, "celery-operator render: Unrecognized command or argument '--owner'.")]
    [TestCase(new[] { "render" }, "celery-operator render: Option '--filename' is required.")]
    [TestCase(new[] { "--Operator:LogFormat=Text", "render", "-f", "x.yaml" }, "celery-operator render: Unrecognized command or argument '--Operator:LogFormat=Text'.")]
    [TestCase(new[] { "render", "-f" }, "celery-operator render: Required argument missing for option: '-f'.")]
    [TestCase(new[] { "--kubeconfig" }, "celery-operator: Required argument missing for option: '--kubeconfig'.")]
    [TestCase(new[] { "--Operator:LogFormat=Text", "--context" }, "celery-operator: Required argument missing for option: '--context'.")]
    public async Task AnUnknownOptionOrAMissingValueIsOneLineOnStderrAndExitCodeTwo(string[] args, string expected)
    {
        var (exit, output, error) = await RunOfflineAsync(args);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2), error);
            Assert.That(output, Is.Empty);
            Assert.That(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { expected, $"Run '{expected[..expected.IndexOf(':', StringComparison.Ordinal)]} --help' for usage." }));
        });
    }

    [Test]
    public async Task RenderOfAnUnreadableFileIsExitCodeOne()
    {
        var (exit, _, error) = await RunOfflineAsync("render", "-f", "/nonexistent/celery.yaml");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.StartWith("render: cannot read /nonexistent/celery.yaml"));
        });
    }

    // Configuration binds arguments in their order (a later one wins), in every form Microsoft.Extensions.Configuration
    // reads, and the kubectl flags through its switch mappings: the operator must get them untouched.
    [TestCase("--Operator:ProbePort=0", "--Operator:LogFormat", "Text", "Operator:BindAddress=127.0.0.1", "--kubeconfig", "k.yaml", "--context=ci")]
    [TestCase("--kubeconfig=a.yaml", "--Operator:Kubernetes:KubeConfigPath=b.yaml")]
    [TestCase("--Operator:Namespaces:0", "@team", "/Operator:LeaderElection:Enabled=false")]
    [TestCase("serve")]
    [TestCase]
    public async Task EverythingElseReachesTheOperatorsConfigurationUnchangedAndInOrder(params string[] args)
    {
        string[]? received = null;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await OperatorCommandLine.InvokeAsync(args, stdout, stderr, (settings, _) =>
        {
            received = settings;
            return Task.FromResult(7);
        });
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(7), "the operator's exit code is the process's");
            Assert.That(received, Is.EqualTo(args));
            Assert.That(stdout.ToString() + stderr, Is.Empty);
        });
    }

    private static async Task<(int Exit, string Output, string Error)> RunOfflineAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await OfflineCommandLine.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
