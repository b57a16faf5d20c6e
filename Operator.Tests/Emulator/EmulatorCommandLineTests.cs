using Microsoft.Extensions.Logging;
using Operator.Emulator.Authorization;
using Operator.Emulator.Hosting;

namespace Operator.Tests.Emulator;

// The emulator executable's options: each value reaches EmulatorOptions, --help wins anywhere, and an unknown option,
// a missing value or a value the option does not take is an error naming them (the executable prints it and exits 2).
public sealed class EmulatorCommandLineTests
{
    [Test]
    public void EveryOptionReachesTheEmulatorsOptions()
    {
        var parsed = EmulatorCommandLine.Parse(
        [
            "--port", "6443", "--kubeconfig", "out.yaml", "--user", "someone", "--deployment-controller-delay", "2s", "--watch-history", "50",
            "--bookmark-interval", "5s", "--log-level", "warning", "--no-schemas", "--authorization-mode", "rbac", "--service-cluster-ip-range", "10.0.0.0/16",
        ]);
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Error, Is.Null);
            Assert.That(parsed.KubeconfigPath, Is.EqualTo("out.yaml"));
            Assert.That(parsed.User, Is.EqualTo("someone"));
            Assert.That(Settable(parsed.Options!), Is.EqualTo(Settable(new EmulatorOptions
            {
                Port = 6443,
                DeploymentControllerDelay = TimeSpan.FromSeconds(2),
                WatchHistorySize = 50,
                BookmarkInterval = TimeSpan.FromSeconds(5),
                MinimumLogLevel = LogLevel.Warning,
                EnforceSchemas = false,
                Authorization = AuthorizationMode.Rbac,
                ServiceClusterIpRange = "10.0.0.0/16",
            })));
        });
    }

    [Test]
    public void WithoutOptionsTheExecutableServesOnAFreePortLoggingEveryRequestAsAdmin()
    {
        var parsed = EmulatorCommandLine.Parse([]);
        Assert.That(parsed.Error, Is.Null);
        Assert.That(Settable(parsed.Options!), Is.EqualTo(Settable(new EmulatorOptions { MinimumLogLevel = LogLevel.Information })));
        Assert.That((parsed.KubeconfigPath, parsed.User), Is.EqualTo(((string?)null, "admin")));
    }

    [TestCase("-h")]
    [TestCase("--help")]
    public void HelpAnywhereAsksForUsageEvenBesideABadValue(string ask) =>
        Assert.That(EmulatorCommandLine.Parse(["--port", "nope", ask]).ShowHelp, Is.True);

    [Test]
    public void UsageGivesEveryOptionItsValueAndDefault()
    {
        Assert.That(EmulatorCommandLine.Usage, Does.Contain("Usage:\n  Operator.Emulator [options]"));
        Assert.That(EmulatorCommandLine.Usage, Does.Match(@"\n  --port <N> +TCP port on 127\.0\.0\.1; 0 picks a free one \[default: 0\]\n"));
        Assert.That(EmulatorCommandLine.Usage, Does.Match(@"\n  --authorization-mode <MODE> +.* \[default: AlwaysAllow\]\n"));
    }

    [TestCase("--bogus", null, "Unrecognized command or argument '--bogus'")]
    [TestCase("--port", "70000", "--port 70000: expected a port number")]
    [TestCase("--port", "abc", "--port abc: expected a port number")]
    [TestCase("--watch-history", "0", "--watch-history 0: expected a number more than zero")]
    [TestCase("--log-level", "Loud", "--log-level Loud: expected Trace, Debug")]
    [TestCase("--authorization-mode", "Sometimes", "--authorization-mode Sometimes: expected AlwaysAllow or RBAC")]
    [TestCase("--authorization-mode", "7", "--authorization-mode 7: expected AlwaysAllow or RBAC")]
    [TestCase("--service-cluster-ip-range", "10.0.0.0", "--service-cluster-ip-range 10.0.0.0: expected an IPv4 CIDR")]
    [TestCase("--user", null, "Required argument missing for option: '--user'")]
    public void AnUnknownOptionOrABadValueIsAnErrorNamingIt(string option, string? value, string expected)
    {
        var parsed = EmulatorCommandLine.Parse(value is null ? [option] : [option, value]);
        Assert.That(parsed.Options, Is.Null);
        Assert.That(parsed.Error, Does.Contain(expected));
    }

    // What the command line sets (the options also hold collections and services, compared by reference).
    private static object Settable(EmulatorOptions options) => (options.Port, options.DeploymentControllerDelay, options.WatchHistorySize, options.BookmarkInterval,
        options.MinimumLogLevel, options.EnforceSchemas, options.Authorization, options.ServiceClusterIpRange);
}
