namespace Operator.IntegrationTests.Conformance;

/// <summary>
/// The NUnit category of the tests that run generated pod specs against real Celery, Redis and RabbitMQ
/// processes (installed by scripts/install-test-deps.sh; the tests are ignored where they are missing).
/// </summary>
internal static class ConformanceCategory
{
    public const string Name = "Conformance";
}
