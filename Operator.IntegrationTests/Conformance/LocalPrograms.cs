// Where the Debian packages installed by scripts/install-test-deps.sh put the programs these tests run.
// Invariant: a test that needs a missing program is ignored with a message naming the install script, never
// failed and never silently passed.
namespace Operator.IntegrationTests.Conformance;

/// <summary>Locates Celery, Redis, RabbitMQ and Prometheus's tools, or ignores the calling test when one is missing.</summary>
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

    public const string Prometheus = "/usr/bin/prometheus";

    public const string Promtool = "/usr/bin/promtool";

    private static readonly Lazy<bool> CeleryImportable = new(() => PythonImports("celery, kombu, redis, amqp"));

    private static readonly Lazy<bool> PrometheusClientImportable = new(() => PythonImports("prometheus_client.openmetrics.parser"));

    public static void RequireCelery()
    {
        if (!CeleryImportable.Value)
        {
            Assert.Ignore($"Celery with the Redis and AMQP transports is not importable by {Python}; {InstallHint}.");
        }
    }

    public static void RequireRedis() => RequireFiles("redis-server", RedisServer);

    public static void RequireRabbitMq() => RequireFiles("rabbitmq-server", RabbitMqServer, RabbitMqCtl, Epmd);

    public static void RequirePrometheus() => RequireFiles("prometheus", Prometheus, Promtool);

    /// <summary>python3-prometheus-client: its strict OpenMetrics parser checks what Prometheus negotiates.</summary>
    public static void RequirePrometheusClient()
    {
        if (!PrometheusClientImportable.Value)
        {
            Assert.Ignore($"The Python Prometheus client is not importable by {Python}; {InstallHint}.");
        }
    }

    private static bool PythonImports(string modules)
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        var result = LocalProcess.RunAsync(Python, ["-c", $"import {modules}"], new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(30), CancellationToken.None)
            .GetAwaiter().GetResult();
        return result.ExitCode == 0;
    }

    private static void RequireFiles(string what, params string[] paths)
    {
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            Assert.Ignore($"{what} is not installed ({string.Join(", ", missing)} missing); {InstallHint}.");
        }
    }
}
