// Where the Debian packages installed by scripts/install-test-deps.sh put the programs these tests run.
// Invariant: a test that needs a missing program is ignored with a message naming the install script, never
// failed and never silently passed.
namespace Operator.IntegrationTests.Conformance;

/// <summary>Locates Celery, Redis and RabbitMQ, or ignores the calling test when one is missing.</summary>
internal static class LocalPrograms
{
    private const string InstallHint = "run scripts/install-test-deps.sh (./build.sh test does) to install it";

    /// <summary>
    /// Debian's interpreter, which has python3-celery; a `python3` earlier on PATH may be another interpreter
    /// without it, so Celery always runs as `/usr/bin/python3 -m celery`.
    /// </summary>
    public const string Python = "/usr/bin/python3";

    public const string RedisServer = "/usr/bin/redis-server";

    /// <summary>
    /// The server script itself: Debian's /usr/sbin/rabbitmq-server wrapper switches to the rabbitmq user, which
    /// cannot write the test's temporary directories.
    /// </summary>
    public const string RabbitMqServer = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    public const string RabbitMqCtl = "/usr/lib/rabbitmq/bin/rabbitmqctl";

    public const string Epmd = "/usr/bin/epmd";

    private static readonly Lazy<bool> CeleryImportable = new(() =>
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        var result = LocalProcess.RunAsync(Python, ["-c", "import celery, kombu, redis, amqp"], new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(30), CancellationToken.None)
            .GetAwaiter().GetResult();
        return result.ExitCode == 0;
    });

    public static void RequireCelery()
    {
        if (!CeleryImportable.Value)
        {
            Assert.Ignore($"Celery with the Redis and AMQP transports is not importable by {Python}; {InstallHint}.");
        }
    }

    public static void RequireRedis() => RequireFiles("redis-server", RedisServer);

    public static void RequireRabbitMq() => RequireFiles("rabbitmq-server", RabbitMqServer, RabbitMqCtl, Epmd);

    private static void RequireFiles(string what, params string[] paths)
    {
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            Assert.Ignore($"{what} is not installed ({string.Join(", ", missing)} missing); {InstallHint}.");
        }
    }
}
